// Mynaportal's pages as the sandbox shows them to a person (guideline 2.3, 図2.3-2 … 2.3-4):
// identity check with the My Number Card (emulated: choose a sandbox citizen), then the
// question whether the named information may be given to the provider. Japanese, no
// external assets, every control labelled.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "myna/records/record_types.hpp"

namespace myna::internal::sandbox {

/// One card the sign-in page offers.
struct CitizenChoice {
  std::string id;
  std::string name;  ///< 氏名 (kana in parentheses)
  std::string note;  ///< what happens with this card, "" for an ordinary citizen
};

/// What the consent page names.
struct ConsentSubject {
  std::string provider_name;
  std::string client_id;
  std::string citizen_name;
  RecordTypes types;
  long long grant_days = 0;
};

/// <, >, &, " and ' as character references.
std::string html_escape(std::string_view text);

/// The identity check: a citizen list (radio buttons) and the card's PIN; `error` is shown
/// above the form when not empty. Posts session, citizen and pin to `action`.
std::string sign_in_page(const std::string& action, const std::string& session, const std::string& provider_name,
                         const std::vector<CitizenChoice>& citizens, const std::string& error);

/// The consent question with 同意する / 同意しない (posts session and decision=agree|deny).
std::string consent_page(const std::string& action, const std::string& session, const ConsentSubject& subject);

/// A page that only says something (expired session, bad request).
std::string message_page(std::string_view title, std::string_view text);

}  // namespace myna::internal::sandbox
