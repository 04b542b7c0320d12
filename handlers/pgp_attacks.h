/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PGP handler's attack build (-DPGP_UMH_ATTACKS, executables
 * pgp_umh_attack and pgp_umh_attack_unconfined; never pgp_umh): a request
 * whose data starts with "UMD-EMU-ATTACK:NAME" makes the handler try, for
 * real, what an exploited parser would, to show what confinement stops.
 * tests/e2e/pgp-isolation.sh prints the outcomes as a table.
 */
#ifndef PGP_UMH_ATTACKS_H
#define PGP_UMH_ATTACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msgfmt.h"

#define PGP_ATTACK_MAGIC	"UMD-EMU-ATTACK:"

/*
 * If data starts with PGP_ATTACK_MAGIC, try the attack it names and, if the
 * process is still there, fill reply (ret -EBADMSG, the outcome as text in
 * reply->key.uid) and log the outcome on fd 2 as "UMD-EMU-ATTACK NAME:
 * OUTCOME". True if it was an attack request (reply filled), false
 * otherwise (parse it as usual).
 */
bool pgp_attack(const uint8_t *data, size_t len, struct pgp_umd_reply *reply);

#endif /* PGP_UMH_ATTACKS_H */
