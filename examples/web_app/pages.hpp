// The provider's pages: plain server-rendered HTML with a little inline CSS, no external
// assets. Record tables are built from the SDK's field catalogs (Japanese item names).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "myna/myna.hpp"

namespace web_app {

/// <, >, &, " and ' as character references.
std::string escape(std::string_view text);

/// A whole page: header with the application's name, `body` inside <main>.
std::string layout(std::string_view title, std::string_view body);

/// What the start page knows about the citizen.
struct StartView {
  myna::RecordTypes granted;                    ///< types already linked
  myna::RecordTypes preselect;                  ///< checked on the form
  std::string error;                            ///< shown above the form ("" = none)
  std::optional<myna::StopWindow> stop_window;  ///< guideline 2.5: a back-end stops now
};
std::string start_page(const StartView& view);

/// The page shown while the retrieval waits for Mynaportal's completion notification; it
/// reloads itself every second.
std::string waiting_page(const std::vector<myna::RecordType>& types);

/// One information type's part of the records page: its table, or what went wrong.
struct TypeSection {
  myna::RecordType type;
  std::size_t records = 0;
  std::string table_html;  ///< records_table() output when the fetch succeeded
  std::optional<myna::Error> error;
};
/// The records page: a 照会年月日 form (from/to, YYYY-MM-DD) and one section per type.
std::string records_page(const std::string& from, const std::string& to, const std::vector<TypeSection>& sections);

/// An error as a person needs it: what happened and what to do next (a link back).
std::string error_page(const myna::Error& error, myna::RecordTypes types = {});

/// Records as a table whose headers are the catalog's Japanese item names (項番 in a tooltip).
/// Columns that no record carries are left out. A type with many items (特定健診情報: 143)
/// is turned around: one row per item, one column per record.
template <class R>
std::string records_table(const std::vector<R>& records);

}  // namespace web_app
