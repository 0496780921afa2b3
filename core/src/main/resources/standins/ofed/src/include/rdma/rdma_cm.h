/* Stand-in header: include/rdma/rdma_cm.h of mlnx-ofa_kernel (test fixture, no real declarations). */
