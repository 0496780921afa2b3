/* Stand-in source file (mellanox-lustre test fixture). */
