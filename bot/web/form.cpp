#include "bot/web/form.hpp"

#include "bot/http/types.hpp"

#include <algorithm>
#include <cctype>

namespace lianxin::web {
namespace {

std::string lower(std::string_view s) {
  std::string o(s);
  std::transform(o.begin(), o.end(), o.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return o;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Value of `key` in a header parameter list: `form-data; name="a"; filename="b.jpg"`.
std::optional<std::string> param(std::string_view header, std::string_view key) {
  std::size_t i = 0;
  while (i < header.size()) {
    auto semi = header.find(';', i);
    if (semi == std::string_view::npos) break;
    i = semi + 1;
    auto rest = trim(header.substr(i));
    auto eq = rest.find('=');
    if (eq == std::string_view::npos) continue;
    if (lower(trim(rest.substr(0, eq))) != key) continue;
    auto v = rest.substr(eq + 1);
    if (!v.empty() && v.front() == '"') {
      std::string out;
      for (std::size_t k = 1; k < v.size(); ++k) {
        if (v[k] == '\\' && k + 1 < v.size()) {
          out += v[++k];
        } else if (v[k] == '"') {
          return out;
        } else {
          out += v[k];
        }
      }
      return std::nullopt;  // unterminated quote
    }
    auto end = v.find(';');
    return std::string(trim(v.substr(0, end)));
  }
  return std::nullopt;
}

}  // namespace

const form_field* form_result::find(std::string_view name) const {
  for (const auto& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string form_result::text(std::string_view name) const {
  const auto* f = find(name);
  return f && !f->is_file ? f->value : std::string();
}

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  auto semi = content_type.find(';');
  if (lower(trim(content_type.substr(0, semi))) != "multipart/form-data") return std::nullopt;
  auto b = param(content_type, "boundary");
  if (!b || b->empty() || b->size() > 70) return std::nullopt;
  return b;
}

form_result parse_multipart(std::string_view boundary, std::string_view body, const form_limits& limits) {
  form_result out;
  const std::string delim = "--" + std::string(boundary);
  if (body.substr(0, delim.size()) != delim) {
    out.error = "multipart body does not start with the boundary";
    return out;
  }
  std::size_t pos = delim.size();
  for (;;) {
    if (body.substr(pos, 2) == "--") return out;  // closing delimiter
    if (body.substr(pos, 2) != "\r\n") {
      out.error = "malformed boundary line";
      return out;
    }
    pos += 2;
    auto head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string_view::npos || head_end - pos > limits.max_part_header) {
      out.error = "part headers missing or too long";
      return out;
    }
    std::string_view headers = body.substr(pos, head_end - pos);
    auto next = body.find("\r\n" + delim, head_end + 4);
    if (next == std::string_view::npos) {
      out.error = "part not terminated by the boundary";
      return out;
    }
    form_field f;
    bool has_disposition = false;
    std::size_t h = 0;
    while (h <= headers.size()) {
      auto eol = headers.find("\r\n", h);
      auto line = headers.substr(h, eol == std::string_view::npos ? std::string_view::npos : eol - h);
      auto colon = line.find(':');
      if (colon != std::string_view::npos) {
        auto name = lower(trim(line.substr(0, colon)));
        auto value = trim(line.substr(colon + 1));
        if (name == "content-disposition") {
          if (lower(trim(value.substr(0, value.find(';')))) != "form-data") {
            out.error = "part is not form-data";
            return out;
          }
          auto n = param(value, "name");
          if (!n || n->empty()) {
            out.error = "part without a name";
            return out;
          }
          f.name = *n;
          if (auto fn = param(value, "filename")) {
            f.is_file = true;
            f.filename = *fn;
          }
          has_disposition = true;
        } else if (name == "content-type") {
          f.content_type = lower(value);
        }
      }
      if (eol == std::string_view::npos) break;
      h = eol + 2;
    }
    if (!has_disposition) {
      out.error = "part without Content-Disposition";
      return out;
    }
    f.value = std::string(body.substr(head_end + 4, next - (head_end + 4)));
    if (out.fields.size() >= limits.max_fields) {
      out.error = "too many fields";
      return out;
    }
    out.fields.push_back(std::move(f));
    pos = next + 2 + delim.size();
  }
}

form_result parse_form(std::string_view content_type, std::string_view body, const form_limits& limits) {
  auto base = lower(trim(content_type.substr(0, content_type.find(';'))));
  if (base == "application/x-www-form-urlencoded") {
    form_result out;
    std::size_t i = 0;
    while (i <= body.size() && !body.empty()) {
      auto amp = body.find('&', i);
      auto pair = body.substr(i, amp == std::string_view::npos ? std::string_view::npos : amp - i);
      if (!pair.empty()) {
        auto eq = pair.find('=');
        std::string k(pair.substr(0, eq)), v(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
        std::replace(k.begin(), k.end(), '+', ' ');
        std::replace(v.begin(), v.end(), '+', ' ');
        if (out.fields.size() >= limits.max_fields) {
          out.error = "too many fields";
          return out;
        }
        out.fields.push_back({http::url_decode(k), "", "", http::url_decode(v), false});
      }
      if (amp == std::string_view::npos) break;
      i = amp + 1;
    }
    return out;
  }
  if (auto b = multipart_boundary(content_type)) return parse_multipart(*b, body, limits);
  form_result out;
  out.error = "unsupported form content type";
  return out;
}

}  // namespace lianxin::web
