// Types of viral-stats.mjs, for test/bench/viral-stats.test.ts (the bench itself is plain JavaScript).
export declare const BACKOFF_BASE_MS: number;
export declare const BACKOFF_CAP_MS: number;
/** Retries from a 2 s window after a 1001 close of a stable connection, as in client/backoff.ts. */
export declare const RESTART_RETRIES: number;
export declare function backoffDelayMs(attempt: number, random?: () => number): number;
export declare function cpuPercent(cpuMs: number, windowMs: number): number;
export declare function perThousand(cpuMs: number, connections: number): number;
export declare function settleMs(changedAt: number, since: number, settled?: boolean): number;
export declare function foldStatus(parts: Array<Record<string, number>>): Record<string, number>;
