/* Stand-in header: include/rdma/ib_cm.h of mlnx-ofa_kernel (test fixture, no real declarations). */
