# SPDX-License-Identifier: MIT
#
# can_record.sh - sourced by the tests that record on the live kernel:
# `can_record BUILD_DIR` exits the test with 77 (ctest's skip) and a clear
# message when this machine does not let vmasim record run as the tests
# need: ptrace refused (no CAP_SYS_PTRACE, seccomp) or setarch -R (the
# ADDR_NO_RANDOMIZE personality) refused.

can_record() {
	if ! "$1/tests/cli/record/rec_can_ptrace"; then
		echo "SKIP: ptrace is not permitted here (no CAP_SYS_PTRACE, or seccomp)"
		exit 77
	fi
	if ! setarch -R true 2>/dev/null; then
		echo "SKIP: setarch -R (personality ADDR_NO_RANDOMIZE) is not permitted"
		exit 77
	fi
}
