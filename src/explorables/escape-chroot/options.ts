/** What the learner chooses, with the words the page and the picture use (no simulator code here: the lesson page imports it). */
export type EscapeId = 'dotdot' | 'fchdir' | 'mknod' | 'symlink';
export type Confinement = 'chroot' | 'jail';

export const ESCAPE_NAMES: Readonly<Record<EscapeId, string>> = {
  dotdot: 'chroot into a subdirectory, keep the working directory outside, chdir("..") again and again',
  fchdir: 'open a directory descriptor, chroot into a subdirectory, chdir("/"), then fchdir back and climb',
  mknod: 'mknod a device node for the raw disk and read it',
  symlink: 'plant a symbolic link to the host’s secret for a host script to follow',
};
export const ESCAPE_IDS = Object.keys(ESCAPE_NAMES) as readonly EscapeId[];

export const CONFINEMENT_NAMES: Readonly<Record<Confinement, string>> = {
  chroot: 'plain chroot',
  jail: 'a minimal jail (a “..” barrier at the jail’s root, no mknod)',
};
export const CONFINEMENTS = Object.keys(CONFINEMENT_NAMES) as readonly Confinement[];

export const DEFAULTS: { readonly escape: EscapeId; readonly confinement: Confinement } = { escape: 'fchdir', confinement: 'chroot' };
