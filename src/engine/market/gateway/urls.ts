/**
 * Pointing a ccxt exchange at another host (a local fake in tests, a proxy in odd deployments).
 * Every REST base in `urls.api` keeps its path and loses its host, and a guard refuses any request that would
 * still go elsewhere: a test that silently reached the real exchange would be worse than one that fails.
 */
import { ConfigError } from '../../errors.ts';

type UrlTree = string | { [key: string]: UrlTree };

/** Rewrites every URL in the tree to `base` + its original path (placeholders like {hostname} included). */
export function rewriteHosts(tree: UrlTree, base: string): UrlTree {
  const origin = base.replace(/\/+$/, '');
  if (typeof tree === 'string') return tree.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]+/i, origin);
  const out: { [key: string]: UrlTree } = {};
  for (const [key, value] of Object.entries(tree)) out[key] = rewriteHosts(value, origin);
  return out;
}

/** Every URL string in the tree, for checks and messages. */
export function listUrls(tree: unknown): string[] {
  if (typeof tree === 'string') return [tree];
  if (tree && typeof tree === 'object') return Object.values(tree).flatMap(listUrls);
  return [];
}

interface FetchingExchange {
  id: string;
  urls: { api?: unknown };
  fetch: (url: string, method?: string, headers?: unknown, body?: unknown) => Promise<unknown>;
}

/** Points the exchange at `base` and makes any request elsewhere throw a ConfigError (never retried). */
export function overrideUrls(exchange: FetchingExchange, base: string): void {
  const origin = new URL(base).origin;
  exchange.urls.api = rewriteHosts(exchange.urls.api as UrlTree, origin);
  const original = exchange.fetch.bind(exchange);
  exchange.fetch = (url, ...rest) => {
    if (!url.startsWith(origin + '/')) {
      const host = url.replace(/^([a-z]+:\/\/[^/]+).*$/i, '$1');
      return Promise.reject(new ConfigError(`${exchange.id}: refusing a request to ${host}: urlsOverride is ${origin}`, {
        field: 'urlsOverride', value: host,
      }));
    }
    return original(url, ...rest);
  };
}
