/* Swagger UI for /docs, served from this server (no CDN), started without inline script. */
window.addEventListener('load', function () {
  'use strict';
  var el = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({url: el.dataset.openapi, dom_id: '#swagger-ui', deepLinking: true});
});
