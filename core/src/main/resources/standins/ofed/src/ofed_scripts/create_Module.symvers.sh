# Stand-in for ofed_scripts/create_Module.symvers.sh (test fixture): Module.symvers is written by standin-build.sh.
exit 0
