// Starts Swagger UI in #swagger-ui on the OpenAPI document named by its data-spec-url.
// Kept in a file of its own (not inline) so the page works under a script-src 'self' policy.
window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.specUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    // The default validator badge sends the schema's URL to validator.swagger.io.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
