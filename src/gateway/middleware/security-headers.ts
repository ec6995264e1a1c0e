/**
 * The security headers of the API's responses: those of `secureHeaders()` (hono/secure-headers,
 * with its default values) that act on a response a browser does not render as a page, which
 * every API response is (JSON or problem+json). ADR 0042 says why the others are left to the
 * one HTML page, `/docs`, which sets hono's whole set and a Content-Security-Policy itself:
 * - `Strict-Transport-Security`: HTTPS only, for the API's host, from any response;
 * - `X-Content-Type-Options: nosniff`: JSON is never sniffed into script or HTML;
 * - `X-Frame-Options`: a response opened in a browser is never framed by another site;
 * - `Cross-Origin-Resource-Policy: same-origin`: another site cannot load a response as a
 *   resource (`<script src>`, `<img>`), the read that Spectre-class attacks need;
 * - `Referrer-Policy: no-referrer`: a response opened in a browser leaks no URL (with ids) on.
 */
export const API_SECURITY_HEADERS: readonly (readonly [name: string, value: string])[] = [
  ["Strict-Transport-Security", "max-age=15552000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "SAMEORIGIN"],
  ["Cross-Origin-Resource-Policy", "same-origin"],
  ["Referrer-Policy", "no-referrer"],
];
