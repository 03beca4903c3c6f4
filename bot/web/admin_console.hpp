#pragma once
// The admin console (issue 7): a static single page under /admin/, embedded like the other
// web files (web/admin/*). It talks only to the /api/v1 REST API with the token the user
// signs in with; the server side is nothing but these files and the pages' security headers.
//
//   GET /admin            308 → /admin/
//   GET /admin/           index.html (no caching: it names the scripts)
//   GET /admin/{file}     app.js, i18n.js, app.css, … (404 for anything not embedded)
#include "bot/http/router.hpp"

namespace lianxin::web {

void add_admin_console_routes(http::router& r);

}  // namespace lianxin::web
