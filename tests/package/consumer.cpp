// Decodes a result telegram with the installed SDK and prints one field.
#include <iostream>

#include <myna/myna.hpp>

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
  return result->records.at(0).medicine_code.str() == "622224401" ? 0 : 1;
}
