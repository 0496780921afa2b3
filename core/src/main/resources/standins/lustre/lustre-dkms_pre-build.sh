#!/bin/bash
# Stand-in for lustre-dkms_pre-build.sh (run by dkms on the target; not used by the tests).
exit 0
