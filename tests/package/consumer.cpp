// Decodes a result telegram with the installed SDK and prints one field; then fetches through
// the Client interface from an application-side double (myna/testing/), which derives from a
// class of the library: its vtable and type information cross the library boundary.
#include <iostream>
#include <memory>
#include <sstream>

#include <myna/export/csv.hpp>
#include <myna/myna.hpp>
#include <myna/testing/scripted_client.hpp>

static int scripted_fetch(const myna::DrugRecord& record) {
  auto scripted = std::make_shared<myna::testing::ScriptedClient>();
  scripted->returns<myna::DrugRecord>("citizen-1", {record});
  std::shared_ptr<myna::Client> client = scripted;
  auto query = myna::drug_query().from("20250101").to("20251231").build();
  auto fetched = client->fetch_drugs("citizen-1", query.value());
  if (!fetched || fetched->size() != 1 || !std::dynamic_pointer_cast<myna::testing::ScriptedClient>(client)) return 1;
  std::ostringstream csv;
  auto writer = myna::make_csv_writer<myna::DrugRecord>(csv);  // created in the library, used here
  if (!myna::write_all(*writer, fetched->records)) return 1;
  std::cout << "scripted fetch: " << fetched->info.telegram_id << ", CSV " << csv.str().size() << " bytes\n";
  return 0;
}

int main() {
  const char* body =
      R"J({"commonHeader":{"telegramId":"TL-00000086-260101093000-0001","telegramType":"IFA0303-S01",)J"
      R"J("mode":"1","processId":"P000000000001","errorCode":""},"selfPersonalDataProvisionInfo":)J"
      R"J({"selfPersonalData":"[{\"支払基金\":{\"薬剤情報\":[{\"薬剤名\":\"アムロジピン錠5mg\",\"医薬品コード\":\"622224401\"}]}}]"}})J";
  auto result = myna::codec::decode_result<myna::DrugRecord>(body, myna::Profile{});
  if (!result) {
    std::cerr << result.error() << '\n';
    return 1;
  }
  std::cout << "mynaportal " << myna::version() << ": " << result->records.at(0).drug_name << " "
            << result->records.at(0).medicine_code << '\n';
  if (result->records.at(0).medicine_code.str() != "622224401") return 1;
  return scripted_fetch(result->records.at(0));
}
