/** The lock operations a host offers without opening the core (`lumin unlock`). */
export { forceUnlock, lockOwner } from '../db/lock';
