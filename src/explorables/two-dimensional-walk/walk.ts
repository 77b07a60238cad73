/**
 * The memory references of one TLB miss, reference by reference: natively, under nested paging
 * (the two-dimensional walk of Bhargava et al., ASPLOS 2008) and with a shadow table. Levels are
 * numbered as on x86-64: the top table is L<n>, the last before the page is L1.
 *
 * Under nested paging every guest-physical address the walker meets is translated through the m
 * nested levels before it can be used: the guest's top table's address (from the guest's page-
 * table base register, gCR3 on x86), each guest entry's pointer to the next table, and finally the
 * guest-physical page itself. So the walk is a grid: n + 1 guest-physical addresses (rows) × m
 * nested references, plus the n guest entries read once their addresses are known:
 * n(m + 1) + m = (n + 1)(m + 1) − 1.
 */

export interface WalkReference {
  /** 1 for the first reference of the walk. */
  readonly number: number;
  /** Which guest-physical address is being handled: 0 for the guest's top table … n − 1 for its L1 table, n for the data page. */
  readonly row: number;
  /** 0 … m − 1 for the nested levels, top first; m for reading the guest's own entry. */
  readonly column: number;
  readonly table: 'nested' | 'guest';
  /** The level of the table read (nested L<m> … L1, or guest L<n> … L1). */
  readonly level: number;
  /** What the reference reads, in words. */
  readonly text: string;
}

export const nativeReferences = (guestLevels: number): number => guestLevels;
/** The hardware walks only the shadow, which has the guest's shape and maps straight to host-physical pages. */
export const shadowReferences = (guestLevels: number): number => guestLevels;
export const nestedReferences = (guestLevels: number, nestedLevels: number): number => (guestLevels + 1) * (nestedLevels + 1) - 1;

/** The guest-physical address of row `row`, and where the walker found it. */
export function rowName(row: number, guestLevels: number): { readonly address: string; readonly from: string } {
  if (row === guestLevels) return { address: 'the data page', from: 'the guest L1 entry' };
  const level = guestLevels - row;
  return { address: `the guest L${level} table`, from: row === 0 ? 'the guest’s page-table base (gCR3)' : `the guest L${level + 1} entry` };
}

/** Every reference of one nested walk, in the order the hardware makes them. */
export function nestedWalk(guestLevels: number, nestedLevels: number): WalkReference[] {
  const walk: WalkReference[] = [];
  for (let row = 0; row <= guestLevels; row++) {
    const { address, from } = rowName(row, guestLevels);
    for (let column = 0; column < nestedLevels; column++) {
      const level = nestedLevels - column;
      const done = level === 1 ? `: now ${address} has a host-physical address` : '';
      walk.push({ number: walk.length + 1, row, column, table: 'nested', level, text: `nested L${level} entry, translating the address of ${address} (from ${from})${done}` });
    }
    // The data page itself is what the miss was for: reading it is not part of the walk.
    if (row < guestLevels) {
      const level = guestLevels - row;
      walk.push({ number: walk.length + 1, row, column: nestedLevels, table: 'guest', level, text: `guest L${level} entry, read from ${address} at the host address just found` });
    }
  }
  return walk;
}
