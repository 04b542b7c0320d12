#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The real-kernel oracle's documented entry: the script is in tools/realkernel/.
exec bash "$(dirname "$0")/realkernel/realkernel.sh" "$@"
