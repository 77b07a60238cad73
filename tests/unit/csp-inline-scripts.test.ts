import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { completePolicy, inlineScriptHashes } from '../../scripts/csp-inline-scripts.ts';

const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const page = (policy: string, body: string) => `<html><head><meta http-equiv="content-security-policy" content="${policy}"></head><body>${body}</body></html>`;

describe('the site policy after a build', () => {
  test('hashes inline scripts that run, not data blocks or external scripts', () => {
    const html = '<script>a()</script><script type="module">b()</script><script type="application/json">{"c":1}</script><script src="/d.js"></script>';
    expect(inlineScriptHashes(html)).toEqual([sha('a()'), sha('b()')]);
  });

  test("adds the missing hashes to script-src only, once, and keeps the rest of the policy", () => {
    const html = page(`default-src 'self'; script-src 'self' ${sha('known()')}; style-src 'self';`, '<script>known()</script><script>theme()</script><script>theme()</script>');
    const policy = /content="([^"]*)"/.exec(completePolicy(html))![1]!;
    expect(policy).toBe(`default-src 'self'; script-src 'self' ${sha('known()')} ${sha('theme()')}; style-src 'self';`);
  });

  test('leaves a page without a policy as it is', () => {
    const html = '<html><body><script>x()</script></body></html>';
    expect(completePolicy(html)).toBe(html);
  });
});
