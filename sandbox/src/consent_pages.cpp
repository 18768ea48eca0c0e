#include "consent_pages.hpp"

namespace myna::internal::sandbox {
namespace {

constexpr std::string_view kStyle = R"CSS(
*{box-sizing:border-box}
body{margin:0;font-family:"IPAGothic","IPAPGothic","Noto Sans CJK JP","Hiragino Sans",sans-serif;
 color:#1a1a1a;background:#f2f4f7;line-height:1.6}
header{background:#0b3c7a;color:#fff;padding:.6rem 1.2rem;display:flex;align-items:baseline;gap:.8rem}
header .brand{font-size:1.2rem;font-weight:bold;letter-spacing:.05em}
header .env{font-size:.8rem;background:#ffd54a;color:#1a1a1a;padding:0 .4rem;border-radius:3px}
main{max-width:40rem;margin:1.2rem auto;background:#fff;padding:1.2rem 1.6rem;border-radius:6px;
 box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.3rem;margin:.2rem 0 .8rem;border-left:6px solid #0b3c7a;padding-left:.6rem}
fieldset{border:1px solid #c5ccd6;border-radius:4px;margin:0 0 1rem;padding:.4rem .8rem}
legend{font-weight:bold;padding:0 .3rem}
.choice{display:flex;gap:.5rem;align-items:center;padding:.15rem 0}
.choice .note{color:#8a2b00;font-size:.85rem}
label.field{display:block;font-weight:bold;margin-top:.4rem}
input[type=password]{font-size:1.1rem;padding:.3rem .5rem;width:8rem;letter-spacing:.3em}
.help{font-size:.85rem;color:#555;margin:.2rem 0 .8rem}
.alert{background:#fdecea;border:1px solid #d93025;color:#8a1c13;padding:.5rem .8rem;border-radius:4px}
ul.types{padding-left:1.2rem}
ul.types li{margin:.3rem 0}
.provider{font-weight:bold}
.buttons{display:flex;gap:1rem;margin-top:1.2rem}
button{font-size:1rem;padding:.55rem 1.6rem;border-radius:4px;border:1px solid #0b3c7a;cursor:pointer}
button.primary{background:#0b3c7a;color:#fff}
button.secondary{background:#fff;color:#0b3c7a}
button:focus-visible,input:focus-visible{outline:3px solid #ffb300;outline-offset:2px}
)CSS";

std::string layout(std::string_view title, std::string_view body) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>";
  out += html_escape(title);
  out += " | マイナポータル（サンドボックス）</title><style>";
  out += kStyle;
  out +=
      "</style></head><body><header><span class=\"brand\">マイナポータル</span>"
      "<span class=\"env\">サンドボックス（模擬画面）</span></header><main>";
  out += body;
  out += "</main></body></html>\n";
  return out;
}

std::string hidden_session(const std::string& session) {
  return "<input type=\"hidden\" name=\"session\" value=\"" + html_escape(session) + "\">";
}

std::string citizen_radio(const CitizenChoice& c, bool checked) {
  const std::string id = "citizen-" + html_escape(c.id);
  std::string out = "<div class=\"choice\"><input type=\"radio\" name=\"citizen\" required id=\"" + id + "\" value=\"" +
                    html_escape(c.id) + "\"" + (checked ? " checked" : "");
  if (!c.note.empty()) out += " aria-describedby=\"" + id + "-note\"";
  out += "><label for=\"" + id + "\">" + html_escape(c.name) + "（" + html_escape(c.id) + "）</label>";
  if (!c.note.empty()) out += "<span class=\"note\" id=\"" + id + "-note\">" + html_escape(c.note) + "</span>";
  return out + "</div>";
}

}  // namespace

std::string html_escape(std::string_view text) {
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

std::string sign_in_page(const std::string& action, const std::string& session, const std::string& provider_name,
                         const std::vector<CitizenChoice>& citizens, const std::string& error) {
  std::string body = "<h1>マイナンバーカードで本人確認</h1>";
  if (!error.empty()) body += "<p class=\"alert\" role=\"alert\">" + html_escape(error) + "</p>";
  body += "<p><span class=\"provider\">" + html_escape(provider_name) +
          "</span> がマイナポータルとの連携を求めています。マイナンバーカードで本人であることを確認します。</p>"
          "<p class=\"help\">このサンドボックスでは、カードの読み取りの代わりに市民を選びます。</p>"
          "<form method=\"post\" action=\"" +
          html_escape(action) + "\">" + hidden_session(session) +
          "<fieldset><legend>読み取るマイナンバーカード</legend>";
  for (std::size_t i = 0; i < citizens.size(); ++i) body += citizen_radio(citizens[i], i == 0);
  body +=
      "</fieldset><label class=\"field\" for=\"pin\">利用者証明用電子証明書の暗証番号（数字4桁）</label>"
      "<input type=\"password\" id=\"pin\" name=\"pin\" inputmode=\"numeric\" pattern=\"[0-9]{4}\" "
      "maxlength=\"4\" required autocomplete=\"off\" aria-describedby=\"pin-help\">"
      "<p class=\"help\" id=\"pin-help\">サンドボックスでは、どの4桁の数字でも読み取れます。</p>"
      "<div class=\"buttons\"><button type=\"submit\" class=\"primary\">読み取る</button></div></form>";
  return layout("本人確認", body);
}

std::string consent_page(const std::string& action, const std::string& session, const ConsentSubject& subject) {
  std::string body = "<h1>情報提供の同意</h1><p>" + html_escape(subject.citizen_name) +
                     " さん、本人確認ができました。</p><p>次の情報を <span class=\"provider\">" +
                     html_escape(subject.provider_name) + "</span>（" + html_escape(subject.client_id) +
                     "）に提供してよろしいですか。</p><ul class=\"types\" aria-label=\"提供する情報\">";
  for (RecordType type : kAllRecordTypes) {
    if (!subject.types.contains(type)) continue;
    body += "<li><strong>" + html_escape(japanese_name(type)) + "</strong>：" +
            html_escape(japanese_description(type)) + "</li>";
  }
  body += "</ul><p class=\"help\">同意すると、" + std::to_string(subject.grant_days) +
          "日間、提供先はこれらの情報を繰り返し取得できます（期間連携）。同意はいつでも取り消せます。</p>"
          "<form method=\"post\" action=\"" +
          html_escape(action) + "\">" + hidden_session(session) +
          "<div class=\"buttons\" role=\"group\" aria-label=\"情報提供への回答\">"
          "<button type=\"submit\" name=\"decision\" value=\"agree\" class=\"primary\">同意する</button>"
          "<button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\">同意しない</button>"
          "</div></form>";
  return layout("情報提供の同意", body);
}

std::string message_page(std::string_view title, std::string_view text) {
  return layout(title, "<h1>" + html_escape(title) + "</h1><p role=\"alert\">" + html_escape(text) + "</p>");
}

}  // namespace myna::internal::sandbox
