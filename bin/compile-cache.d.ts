/** Types of bin/compile-cache.js (plain JavaScript: it runs before tsx is loaded). */
export declare const ROOT: string;
export declare const CACHE_DIR: string;
export declare function sourceKey(root?: string): string;
export declare function bundleEntry(key: string): string;
export declare function cachedCli(): string | null;
