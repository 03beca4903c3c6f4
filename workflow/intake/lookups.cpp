// Phase two of the lookups: what the dialogue says once the shell has the answer.
#include <type_traits>

#include "workflow/intake/detail.hpp"
#include "workflow/intake/messages.hpp"

namespace lianxin::workflow::intake::detail {
namespace {

void finish_lookup(turn& t) {
  if (t.st && !t.st->has_draft()) t.st.reset();
  else resume_draft(t);
}

void on_deputy(turn& t, const deputy_found& r) {
  conversation_state& s = *t.st;
  std::string content = std::move(s.content);
  s.content.clear();
  if (r.name) {
    s.deputy = deputy_slot{r.code, *r.name};
  } else {
    t.out.reply.push_back(msg(keys::deputy_not_found, {{"code", r.code}}));
    s.deputy.reset();
    if (content.empty()) return t.st.reset();
  }
  if (!content.empty()) return take_content(t, content);
  prompt(s, t.cfg, t.out.reply);
}

void on_similar(turn& t, const similar_found& r) {
  conversation_state& s = *t.st;
  s.similar.clear();
  for (const auto& c : r.cases) {
    if (c.score >= t.cfg.similarity_threshold && s.similar.size() < t.cfg.max_similar) {
      s.similar.push_back({c.case_id, snippet(c.summary, t.cfg.summary_chars)});
    }
  }
  if (s.similar.empty()) {
    s.waiting = pending::submit;
    t.out.effects.push_back(submit_draft{make_draft(s, t.in)});
    return;
  }
  s.at = stage::choose_similar;
  prompt(s, t.cfg, t.out.reply);
}

void on_receipt(turn& t, const submit_receipt& r) {
  if (!r.ok) {
    t.st->at = stage::confirm;
    t.out.reply.push_back(msg(keys::submit_failed));
    return;
  }
  if (r.deputy_name.empty()) {
    t.out.reply.push_back(msg(keys::submitted_station, {{"case_id", r.case_id}}));
  } else {
    t.out.reply.push_back(msg(keys::submitted, {{"case_id", r.case_id}, {"deputy", r.deputy_name}}));
  }
  t.st.reset();
}

void on_cases(turn& t, const cases_found& r) {
  if (r.cases.empty()) {
    t.out.reply.push_back(msg(keys::query_none));
  } else {
    t.out.reply.push_back(msg(keys::query_header));
    for (std::size_t i = 0; i < r.cases.size() && i < t.cfg.max_listed_cases; ++i) {
      const auto& c = r.cases[i];
      t.out.reply.push_back(msg(keys::query_item, {{"n", std::to_string(i + 1)},
                                                   {"case_id", c.case_id},
                                                   {"status", c.status},
                                                   {"summary", snippet(c.summary, t.cfg.summary_chars)}}));
    }
  }
  finish_lookup(t);
}

void on_case_detail(turn& t, const case_detail_found& r) {
  if (r.found) {
    t.out.reply.push_back(msg(keys::query_detail, {{"case_id", r.found->case_id},
                                                   {"status", r.found->status},
                                                   {"summary", snippet(r.found->summary, t.cfg.summary_chars)}}));
  } else {
    t.out.reply.push_back(msg(keys::query_not_found, {{"case_id", r.case_id}}));
  }
  finish_lookup(t);
}

}  // namespace

void resume_draft(turn& t) {
  if (t.st && t.st->has_draft()) {
    t.out.reply.push_back(msg(keys::resume));
    prompt(*t.st, t.cfg, t.out.reply);
  }
}

bool result_matches(pending waiting, const lookup_result& r) {
  switch (waiting) {
    case pending::deputy: return std::holds_alternative<deputy_found>(r);
    case pending::similar: return std::holds_alternative<similar_found>(r);
    case pending::submit: return std::holds_alternative<submit_receipt>(r);
    case pending::cases: return std::holds_alternative<cases_found>(r);
    case pending::case_detail: return std::holds_alternative<case_detail_found>(r);
    case pending::none: return false;
  }
  return false;
}

void apply_result(turn& t, const lookup_result& result) {
  std::visit(
      [&](const auto& r) {
        using R = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<R, deputy_found>) on_deputy(t, r);
        else if constexpr (std::is_same_v<R, similar_found>) on_similar(t, r);
        else if constexpr (std::is_same_v<R, submit_receipt>) on_receipt(t, r);
        else if constexpr (std::is_same_v<R, cases_found>) on_cases(t, r);
        else on_case_detail(t, r);
      },
      result);
}

}  // namespace lianxin::workflow::intake::detail
