/**
 * What each VM *should* get: the entitlement exactly as lab 7's public instructions define it,
 * shown as the target the round-robin run is compared with. This is arithmetic on the settings,
 * not a scheduler: nothing here decides which vCPU runs. Each vCPU gets
 * clamp(λ × shares, reservation, most), where `most` is the smaller of its limit (100 if none)
 * and its demand (100 when busy, 0 when idle), with λ chosen so the entitlements add up to
 * 100 × pCPUs, or everyone gets its `most` if that adds up to less. A reservation never lifts
 * a VM above what it wants (lab 7: "at least min(reservation, demand)").
 */
export interface Claim {
  readonly shares: number;
  readonly reservationPercent: number;
  /** min(limit, demand), percent of one physical CPU. */
  readonly mostPercent: number;
}

const entitled = (claim: Claim, lambda: number) => Math.min(Math.max(lambda * claim.shares, claim.reservationPercent), claim.mostPercent);
const total = (claims: readonly Claim[], lambda: number) => claims.reduce((sum, claim) => sum + entitled(claim, lambda), 0);

/** Entitlements in percent of one physical CPU, in the order of `claims`. */
export function entitlements(claims: readonly Claim[], pcpus: number): number[] {
  const capacity = 100 * pcpus;
  if (total(claims, Infinity) <= capacity) return claims.map((claim) => claim.mostPercent);
  // The total grows with λ: bisect between 0 and a λ at which every VM has reached its `most`.
  let low = 0;
  let high = Math.max(...claims.map((claim) => claim.mostPercent / claim.shares));
  for (let i = 0; i < 60; i++) {
    const middle = (low + high) / 2;
    if (total(claims, middle) < capacity) low = middle;
    else high = middle;
  }
  return claims.map((claim) => entitled(claim, high));
}
