/**
 * An Astro integration that completes the site's Content-Security-Policy after a build.
 * Astro's own CSP (`security.csp` in astro.config.mjs) hashes the scripts it bundles and inlines,
 * but not the `<script is:inline>` blocks that templates write themselves (the theme applied
 * before first paint, the narrow-screen menu, …). This adds each page's remaining inline scripts'
 * hashes to that page's `<meta http-equiv="content-security-policy">`, so the policy can stay
 * "scripts from the site or by hash" while every script the build wrote still runs. A script put
 * into a page after it loaded (an injection) matches no hash and does not run.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

const META = /(<meta http-equiv="content-security-policy" content=")([^"]*)(")/i;
const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
/** Types that make a script element run (none, or a JavaScript one); JSON data blocks do not. */
const RUNS = /^(|module|(text|application)\/(java|ecma)script)$/i;

function typeOf(attributes: string): string {
  return /\btype\s*=\s*["']?([^"'\s>]*)/i.exec(attributes)?.[1] ?? '';
}

/** The `'sha256-…'` sources of the inline scripts in `html` that run. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const [, attributes = '', body = ''] of html.matchAll(SCRIPT)) {
    if (/\bsrc\s*=/i.test(attributes) || !RUNS.test(typeOf(attributes))) continue;
    hashes.push(`'sha256-${createHash('sha256').update(body).digest('base64')}'`);
  }
  return hashes;
}

/** `html` with its CSP meta's script-src extended by the hashes it lacks (unchanged without a meta). */
export function completePolicy(html: string): string {
  return html.replace(META, (_match, open: string, policy: string, close: string) => {
    const missing = [...new Set(inlineScriptHashes(html))].filter((hash) => !policy.includes(hash));
    if (missing.length === 0) return open + policy + close;
    const extended = policy.replace(/(script-src\s[^;]*?)\s*;/, (_all, sources: string) => `${sources} ${missing.join(' ')};`);
    return open + extended + close;
  });
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.html'))
    .map((path) => join(dir, path));
}

export const inlineScriptPolicy: AstroIntegration = {
  name: 'virtlab:csp-inline-scripts',
  hooks: {
    'astro:build:done': ({ dir }) => {
      for (const file of htmlFiles(fileURLToPath(dir))) {
        const html = readFileSync(file, 'utf8');
        // The lab runner's sandbox frame has its own policy, written by hand.
        if (!META.test(html) || file.includes('sandbox-frame')) continue;
        const completed = completePolicy(html);
        if (completed !== html) writeFileSync(file, completed);
      }
    },
  },
};
