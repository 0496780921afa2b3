/* Stand-in header: include/rdma/ib_verbs.h of mlnx-ofa_kernel (test fixture, no real declarations). */
