#include "pages.hpp"

#include <ctime>

namespace web_app {
namespace {

constexpr std::string_view kStyle = R"CSS(
*{box-sizing:border-box}
body{margin:0;font-family:"IPAGothic","IPAPGothic","Noto Sans CJK JP","Hiragino Sans",sans-serif;
 color:#222;background:#f6f8f4;line-height:1.6}
header{background:#2e7d32;color:#fff;padding:.6rem 1.2rem;font-size:1.15rem;font-weight:bold}
main{max-width:60rem;margin:1rem auto;padding:0 1rem}
.card{background:#fff;border-radius:6px;padding:1rem 1.4rem;margin-bottom:1rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.3rem;margin:.2rem 0 .6rem}
h2{font-size:1.1rem;margin:.2rem 0 .5rem;border-left:5px solid #2e7d32;padding-left:.5rem}
fieldset{border:1px solid #c8d3c4;border-radius:4px;padding:.4rem .8rem;margin:0 0 .8rem}
legend{font-weight:bold}
.choice{padding:.15rem 0}
.desc{color:#555;font-size:.85rem}
.badge{background:#e8f5e9;color:#1b5e20;border:1px solid #a5d6a7;border-radius:3px;font-size:.8rem;padding:0 .35rem}
.alert{background:#fdecea;border:1px solid #d93025;color:#7f1d1d;padding:.6rem .9rem;border-radius:4px}
.notice{background:#fff8e1;border:1px solid #f9a825;padding:.6rem .9rem;border-radius:4px}
button,.button{font-size:1rem;padding:.5rem 1.8rem;border-radius:4px;border:1px solid #2e7d32;
 background:#2e7d32;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #ffb300;outline-offset:2px}
form.range{display:flex;flex-wrap:wrap;gap:.8rem;align-items:end}
form.range label{display:block;font-size:.9rem;font-weight:bold}
input[type=date]{font-size:1rem;padding:.25rem .4rem}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.8rem;background:#fff}
th,td{border:1px solid #cfd8cc;padding:.2rem .45rem;text-align:left;white-space:nowrap;vertical-align:top}
thead th{background:#e8f0e6;position:sticky;top:0}
tbody th{background:#f3f7f1;font-weight:normal;white-space:normal;min-width:10rem;max-width:20rem}
details.common{margin:.2rem 0 .6rem;font-size:.85rem}
details.common dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.4rem 0 0 .6rem}
details.common dt{color:#555}
details.common dd{margin:0}
.waiting{font-size:1.1rem}
.spinner{display:inline-block;width:1rem;height:1rem;border:3px solid #a5d6a7;border-top-color:#2e7d32;
 border-radius:50%;animation:spin 1s linear infinite;vertical-align:middle;margin-right:.5rem}
@keyframes spin{to{transform:rotate(360deg)}}
)CSS";

/// "YYYY年M月D日 H時MM分" of a time in JST.
std::string jst_text(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t + std::chrono::hours(9));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%d年%d月%d日 %d時%02d分", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min);
  return buf;
}

/// "?types=drugs checkups" for a link back to the start page with these types checked.
std::string start_link(myna::RecordTypes types) {
  std::string link = "/";
  for (myna::RecordType t : myna::kAllRecordTypes)
    if (types.contains(t)) link += (link.size() == 1 ? "?types=" : "&types=") + std::string(myna::english_name(t));
  return link;
}

struct Explanation {
  std::string title, text, action;
};

Explanation explain(const myna::Error& error, myna::RecordTypes types) {
  using C = myna::ErrorCategory;
  const std::string named = types.empty() ? "この情報" : myna::to_japanese(types);
  switch (error.category()) {
    case C::consent_denied:
      return {"情報の提供に同意されませんでした",
              "マイナポータルで「同意しない」が選ばれたため、情報は取得していません。連携する場合は、もう一度「次へ」か"
              "ら同意してください。",
              "連携の画面に戻る"};
    case C::certificate_expired:
      return {"マイナンバーカードの電子証明書の有効期限が切れています",
              "利用者証明用電子証明書の有効期限が切れているため、本人確認ができませんでした。お住まいの市区町村の窓口で"
              "電子証明書を更新してから、もう一度お試しください。",
              "連携の画面に戻る"};
    case C::consent_required:
      return {"もう一度、連携への同意が必要です",
              named +
                  "の提供に同意していないか、同意の有効期間（期間連携）が終わりました。「次へ」から、もう一度マイナポー"
                  "タルで同意してください。",
              "同意しなおす"};
    case C::not_registered:
      return {"マイナポータルの利用者登録が必要です",
              "マイナポータルの利用者登録がお済みでないため、連携できませんでした。マイナポータル（アプリまたはWebサイ"
              "ト）でマイナンバーカードを使って利用者登録をしてから、もう一度「次へ」から連携してください。",
              "連携の画面に戻る"};
    case C::maintenance: {
      auto when = error.retry_after().value_or(myna::next_available(std::chrono::system_clock::now()));
      return {"ただいまメンテナンス中です",
              "マイナポータルまたは連携先のシステムが計画停止中です。" + jst_text(when) +
                  "以降に、もう一度お試しください。",
              "連携の画面に戻る"};
    }
    case C::auth:
      // The stateless "card expired" redirect cannot be verified (anyone can send it): say what
      // it claims without asserting it, and let the citizen try again.
      if (error.service_code() == "certificate_expired")
        return {"連携を完了できませんでした",
                "電子証明書の有効期限切れを知らせる応答が届きましたが、この手続きへの応答であることを確認できませんでし"
                "た。もう一度「次へ」から連携してください。マイナポータルの画面で有効期限切れと表示された場合は、お住ま"
                "いの市区町村の窓口で電子証明書を更新してください。",
                "連携の画面に戻る"};
      return {"連携の手続きを確認できませんでした",
              "安全のため、この手続きを中止しました。お手数ですが、最初からやり直してください。", "最初からやり直す"};
    default:
      return {"情報を取得できませんでした",
              "マイナポータルとの通信がうまくいきませんでした。時間をおいて、もう一度お試しください。（" +
                  std::string(myna::to_string(error.category())) + "）",
              "連携の画面に戻る"};
  }
}

std::string explanation_html(const myna::Error& error, myna::RecordTypes types, const char* heading) {
  Explanation e = explain(error, types);
  return "<div class=\"alert\" role=\"alert\"><" + std::string(heading) + ">" + escape(e.title) + "</" + heading +
         "><p>" + escape(e.text) + "</p><p><a class=\"button\" href=\"" + escape(start_link(types)) + "\">" +
         escape(e.action) + "</a></p></div>";
}

std::string type_choice(myna::RecordType type, const StartView& view) {
  const std::string id = "type-" + std::string(myna::english_name(type));
  const bool granted = view.granted.contains(type);
  std::string out = "<div class=\"choice\"><input type=\"checkbox\" name=\"types\" id=\"" + id + "\" value=\"" +
                    std::string(myna::english_name(type)) + "\" aria-describedby=\"" + id + "-desc\"" +
                    (view.preselect.contains(type) || granted ? " checked" : "") + "><label for=\"" + id + "\">" +
                    escape(myna::japanese_name(type)) + "</label> ";
  if (granted) out += "<span class=\"badge\">連携済み</span> ";
  return out + "<div class=\"desc\" id=\"" + id + "-desc\">" + escape(myna::japanese_description(type)) +
         "</div></div>";
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string layout(std::string_view title, std::string_view body) {
  return "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>" +
         escape(title) + " | すこやか手帳</title><style>" + std::string(kStyle) +
         "</style></head><body><header>すこやか手帳（サンプル）</header><main>" + std::string(body) +
         "</main></body></html>\n";
}

std::string start_page(const StartView& view) {
  std::string body = "<div class=\"card\"><h1>マイナポータルと連携する</h1>";
  if (!view.error.empty()) body += "<p class=\"alert\" role=\"alert\">" + escape(view.error) + "</p>";
  if (view.stop_window)
    body += "<p class=\"notice\" role=\"status\">" + escape(view.stop_window->system) + "が" +
            jst_text(view.stop_window->end) + "まで計画停止中です。初めての連携は、その後にお試しください。</p>";
  body +=
      "<p>健康記録に取り込む情報を選んで「次へ」を押してください。マイナポータルの画面に移り、マイナンバーカードで"
      "本人確認をしてから、情報の提供に同意します。</p><form method=\"post\" action=\"/consent/start\">"
      "<fieldset><legend>連携する情報</legend>";
  for (myna::RecordType type : myna::kAllRecordTypes) body += type_choice(type, view);
  body += "</fieldset><button type=\"submit\">次へ</button></form></div>";
  if (!view.granted.empty())
    body += "<div class=\"card\"><p>連携済みの情報：" + escape(myna::to_japanese(view.granted)) +
            "</p><p><a href=\"/records\">取り込んだ情報を見る</a></p></div>";
  return layout("連携の開始", body);
}

std::string waiting_page(const std::vector<myna::RecordType>& types) {
  myna::RecordTypes set;
  for (auto t : types) set.add(t);
  std::string body =
      "<div class=\"card\"><h1>マイナポータルから情報を取り込んでいます</h1>"
      "<p class=\"waiting\" role=\"status\" aria-live=\"polite\"><span class=\"spinner\" "
      "aria-hidden=\"true\"></span>" +
      escape(myna::to_japanese(set)) +
      "の準備ができたという通知（完了通知）を待っています。数秒から数分かかることがあります。</p>"
      "<p class=\"desc\">このページは自動的に更新されます。</p></div>";
  std::string page = layout("取り込み中", body);
  page.insert(page.find("<title>"), "<meta http-equiv=\"refresh\" content=\"1\">");
  return page;
}

std::string records_page(const std::string& from, const std::string& to, const std::vector<TypeSection>& sections) {
  std::string body =
      "<div class=\"card\"><h1>取り込んだ健康記録</h1><form class=\"range\" method=\"get\" "
      "action=\"/records\" aria-label=\"照会年月日の絞り込み\"><div><label for=\"from\">照会年月日（開始）"
      "</label><input type=\"date\" id=\"from\" name=\"from\" required value=\"" +
      escape(from) +
      "\"></div><div><label for=\"to\">照会年月日（終了）</label><input type=\"date\" id=\"to\" "
      "name=\"to\" required value=\"" +
      escape(to) +
      "\"></div><button type=\"submit\">絞り込む</button>"
      "</form><p class=\"desc\">薬剤情報と医療費通知情報は診療年月、特定健診情報は健診実施年月日で絞り込みます。"
      "</p><p><a href=\"/\">連携する情報を追加する</a></p></div>";
  for (const TypeSection& s : sections) {
    const std::string id = "section-" + std::string(myna::english_name(s.type));
    body += "<section class=\"card\" aria-labelledby=\"" + id + "\"><h2 id=\"" + id + "\">" +
            escape(myna::japanese_name(s.type));
    if (s.error) {
      body += "</h2>" + explanation_html(*s.error, myna::RecordTypes{s.type}, "h3") + "</section>";
      continue;
    }
    body += "（" + std::to_string(s.records) + "件）</h2>";
    body += s.records == 0 ? "<p>この期間の記録はありません。</p>" : s.table_html;
    body += "</section>";
  }
  return layout("健康記録", body);
}

std::string error_page(const myna::Error& error, myna::RecordTypes types) {
  return layout(explain(error, types).title, "<div class=\"card\">" + explanation_html(error, types, "h1") + "</div>");
}

namespace {

/// The heading of one record's column in a turned-around table.
template <class R>
std::string column_label(const R&, std::size_t index) {
  return "記録" + std::to_string(index + 1);
}
std::string column_label(const myna::CheckupRecord& r, std::size_t index) {
  const std::string date = r.visit.checkup_date.to_string();
  return date.empty() ? "記録" + std::to_string(index + 1) : date;
}

template <class R>
std::string value_text(const myna::FieldInfo& f, const R& r) {
  std::string text = myna::to_display_text(f.of(r));
  if (!text.empty() && !f.unit.empty()) text += " " + std::string(f.unit);
  return text;
}

std::string item_header(const myna::FieldInfo& f, const char* scope) {
  return "<th scope=\"" + std::string(scope) + "\" title=\"項番" + std::to_string(f.number) + "\">" + escape(f.ja) +
         "</th>";
}

/// An item that two or more records carry, all with the same value (e.g. 氏名).
struct CommonItem {
  const myna::FieldInfo* field;
  std::string value;
  bool in_every_record;
};

/// The catalog's items that some record carries, split into those with one value wherever
/// present (shown once, above the table) and the others (the table's items).
template <class R>
void split_items(const std::vector<R>& records, std::vector<CommonItem>& common,
                 std::vector<const myna::FieldInfo*>& varying) {
  for (const myna::FieldInfo& f : myna::catalog<R>()) {
    std::string value;
    std::size_t carried = 0;
    bool same = true;
    for (const R& r : records) {
      const std::string text = value_text(f, r);
      if (text.empty()) continue;
      same = same && (carried == 0 || text == value);
      value = text;
      ++carried;
    }
    if (carried == 0) continue;  // no record carries it
    if (same && carried >= 2)
      common.push_back({&f, value, carried == records.size()});
    else
      varying.push_back(&f);
  }
}

std::string common_items(const std::vector<CommonItem>& items) {
  if (items.empty()) return {};
  std::string out = "<details class=\"common\"><summary>どの記録でも同じ項目（" + std::to_string(items.size()) +
                    "項目）</summary><dl>";
  for (const CommonItem& item : items)
    out += "<dt title=\"項番" + std::to_string(item.field->number) + "\">" + escape(item.field->ja) + "</dt><dd>" +
           escape(item.value) + (item.in_every_record ? "" : "（一部の記録にはありません）") + "</dd>";
  return out + "</dl></details>";
}

}  // namespace

template <class R>
std::string records_table(const std::vector<R>& records) {
  std::vector<CommonItem> common;
  std::vector<const myna::FieldInfo*> columns;
  split_items(records, common, columns);
  const std::string name = escape(myna::japanese_name(myna::RecordTraits<R>::type));
  std::string out = common_items(common);
  out += "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"" + name + "の表\"><table>";
  if (columns.size() > 40) {  // one row per item, one column per record
    out += "<thead><tr><th scope=\"col\">項目名</th>";
    for (std::size_t i = 0; i < records.size(); ++i)
      out += "<th scope=\"col\">" + escape(column_label(records[i], i)) + "</th>";
    out += "</tr></thead><tbody>";
    for (const myna::FieldInfo* f : columns) {
      out += "<tr>" + item_header(*f, "row");
      for (const R& r : records) out += "<td>" + escape(value_text(*f, r)) + "</td>";
      out += "</tr>";
    }
  } else {
    out += "<thead><tr>";
    for (const myna::FieldInfo* f : columns) out += item_header(*f, "col");
    out += "</tr></thead><tbody>";
    for (const R& r : records) {
      out += "<tr>";
      for (const myna::FieldInfo* f : columns) out += "<td>" + escape(value_text(*f, r)) + "</td>";
      out += "</tr>";
    }
  }
  return out + "</tbody></table></div>";
}

template std::string records_table(const std::vector<myna::DrugRecord>&);
template std::string records_table(const std::vector<myna::CheckupRecord>&);
template std::string records_table(const std::vector<myna::MedicalExpenseRecord>&);

}  // namespace web_app
