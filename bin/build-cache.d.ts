/** Types of bin/build-cache.js (plain JavaScript, run by node directly). */
export declare function buildBundle(key: string, root?: string): Promise<void>;
