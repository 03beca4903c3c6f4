#pragma once
// Every catalogue key the dialogue can emit, with the placeholders it fills. The catalogue
// test checks this table against config/messages.zh-CN.json in both directions, so a key
// cannot be emitted without a sentence, nor a sentence ask for a value the code never gives.
#include <array>
#include <string_view>

namespace lianxin::workflow::intake::keys {

struct spec {
  std::string_view key;
  std::string_view params;  // comma-separated placeholder names, empty when none
};

inline constexpr std::string_view welcome = "intake.welcome";
inline constexpr std::string_view help_file = "intake.help.file";
inline constexpr std::string_view help_query = "intake.help.query";
inline constexpr std::string_view help_change = "intake.help.change";
inline constexpr std::string_view ask_content = "intake.ask.content";
inline constexpr std::string_view ask_content_deputy = "intake.ask.content_deputy";
inline constexpr std::string_view ask_content_again = "intake.ask.content_again";
inline constexpr std::string_view ask_content_more = "intake.ask.content_more";
inline constexpr std::string_view ask_content_photo = "intake.ask.content_after_photo";
inline constexpr std::string_view category_header = "intake.category.header";
inline constexpr std::string_view category_option = "intake.category.option";
inline constexpr std::string_view ask_place = "intake.ask.place";
inline constexpr std::string_view place_conflict = "intake.place.conflict";
inline constexpr std::string_view place_option = "intake.place.option";
inline constexpr std::string_view ask_contact = "intake.ask.contact";
inline constexpr std::string_view contact_invalid = "intake.contact.invalid";
inline constexpr std::string_view summary_header = "intake.summary.header";
inline constexpr std::string_view summary_content = "intake.summary.content";
inline constexpr std::string_view summary_content_long = "intake.summary.content_long";
inline constexpr std::string_view summary_category = "intake.summary.category";
inline constexpr std::string_view summary_place = "intake.summary.place";
inline constexpr std::string_view summary_phone = "intake.summary.phone";
inline constexpr std::string_view summary_no_phone = "intake.summary.no_phone";
inline constexpr std::string_view summary_named = "intake.summary.named";
inline constexpr std::string_view summary_anonymous = "intake.summary.anonymous";
inline constexpr std::string_view summary_photos = "intake.summary.photos";
inline constexpr std::string_view summary_deputy = "intake.summary.deputy";
inline constexpr std::string_view confirm_menu = "intake.confirm.menu";
inline constexpr std::string_view confirm_menu_group = "intake.confirm.menu_group";
inline constexpr std::string_view edit_header = "intake.edit.header";
inline constexpr std::string_view edit_menu = "intake.edit.menu";
inline constexpr std::string_view similar_header = "intake.similar.header";
inline constexpr std::string_view similar_option = "intake.similar.option";
inline constexpr std::string_view similar_menu = "intake.similar.menu";
inline constexpr std::string_view joined = "intake.joined";
inline constexpr std::string_view submitted = "intake.submitted";
inline constexpr std::string_view submitted_station = "intake.submitted_station";
inline constexpr std::string_view submit_failed = "intake.submit_failed";
inline constexpr std::string_view cancelled = "intake.cancelled";
inline constexpr std::string_view nothing_to_cancel = "intake.nothing_to_cancel";
inline constexpr std::string_view expired = "intake.expired";
inline constexpr std::string_view expired_plain = "intake.expired_plain";
inline constexpr std::string_view expired_hint = "intake.expired_hint";
inline constexpr std::string_view emergency_fire = "intake.emergency.fire";
inline constexpr std::string_view emergency_police = "intake.emergency.police";
inline constexpr std::string_view emergency_medical = "intake.emergency.medical";
inline constexpr std::string_view emergency_note = "intake.emergency.note";
inline constexpr std::string_view redirect_court = "intake.redirect.court";
inline constexpr std::string_view redirect_petition = "intake.redirect.petition";
inline constexpr std::string_view phone_in_group = "intake.phone_in_group";
inline constexpr std::string_view private_started = "intake.private.started";
inline constexpr std::string_view private_welcome = "intake.private.welcome";
inline constexpr std::string_view query_header = "intake.query.header";
inline constexpr std::string_view query_item = "intake.query.item";
inline constexpr std::string_view query_none = "intake.query.none";
inline constexpr std::string_view query_detail = "intake.query.detail";
inline constexpr std::string_view query_not_found = "intake.query.not_found";
inline constexpr std::string_view deputy_not_found = "intake.deputy.not_found";
inline constexpr std::string_view invalid_choice = "intake.invalid_choice";
inline constexpr std::string_view already_first = "intake.already_first";
inline constexpr std::string_view photos_received = "intake.photos_received";
inline constexpr std::string_view truncated = "intake.truncated";
inline constexpr std::string_view supplemented = "intake.supplemented";
inline constexpr std::string_view already_noted = "intake.already_noted";
inline constexpr std::string_view content_full = "intake.content_full";
inline constexpr std::string_view resume = "intake.resume";
inline constexpr std::string_view set_anonymous = "intake.set_anonymous";
inline constexpr std::string_view set_named = "intake.set_named";

inline constexpr std::array<spec, 68> all{{
    {welcome, ""},
    {help_file, ""},
    {help_query, ""},
    {help_change, ""},
    {ask_content, ""},
    {ask_content_deputy, "deputy"},
    {ask_content_again, "content"},
    {ask_content_more, ""},
    {ask_content_photo, "count"},
    {category_header, ""},
    {category_option, "n,name"},
    {ask_place, ""},
    {place_conflict, "named,bound"},
    {place_option, "n,name"},
    {ask_contact, ""},
    {contact_invalid, ""},
    {summary_header, ""},
    {summary_content, "content"},
    {summary_content_long, "content,count"},
    {summary_category, "category"},
    {summary_place, "place"},
    {summary_phone, "phone"},
    {summary_no_phone, ""},
    {summary_named, ""},
    {summary_anonymous, ""},
    {summary_photos, "count"},
    {summary_deputy, "deputy"},
    {confirm_menu, ""},
    {confirm_menu_group, ""},
    {edit_header, ""},
    {edit_menu, ""},
    {similar_header, ""},
    {similar_option, "n,case_id,summary"},
    {similar_menu, ""},
    {joined, "case_id"},
    {submitted, "case_id,deputy"},
    {submitted_station, "case_id"},
    {submit_failed, ""},
    {cancelled, ""},
    {nothing_to_cancel, ""},
    {expired, "snippet,minutes"},
    {expired_plain, "minutes"},
    {expired_hint, ""},
    {emergency_fire, ""},
    {emergency_police, ""},
    {emergency_medical, ""},
    {emergency_note, ""},
    {redirect_court, ""},
    {redirect_petition, ""},
    {phone_in_group, ""},
    {private_started, ""},
    {private_welcome, ""},
    {query_header, ""},
    {query_item, "n,case_id,status,summary"},
    {query_none, ""},
    {query_detail, "case_id,status,summary"},
    {query_not_found, "case_id"},
    {deputy_not_found, "code"},
    {invalid_choice, ""},
    {already_first, ""},
    {photos_received, "count"},
    {truncated, "max"},
    {supplemented, ""},
    {already_noted, ""},
    {content_full, "max"},
    {resume, ""},
    {set_anonymous, ""},
    {set_named, ""},
}};

}  // namespace lianxin::workflow::intake::keys
