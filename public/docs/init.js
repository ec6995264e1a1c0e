// Starts Swagger UI on /docs. A file rather than an inline script, so the page's
// Content-Security-Policy can forbid inline scripts.
window.addEventListener("DOMContentLoaded", () => {
  window.ui = window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // A token entered with "Authorize" lives in memory only: never in localStorage.
    persistAuthorization: false,
    // The default validator badge would call a third-party service.
    validatorUrl: null,
  });
});
