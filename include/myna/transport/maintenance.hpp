// Guideline 2.5: stop windows of the back-ends that first-time consent (利用設定) needs.
// マイナポータル and オンライン資格確認等システム run 24/365; 医療保険者向け中間サーバ stops daily
// 03:00–06:00 JST; 情報提供ネットワークシステム stops on the third weekend (Sat–Sun) as a rule.
// Plain data and stateless functions: safe from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "myna/export.hpp"

namespace myna {

struct StopWindow {
  std::string system;  ///< e.g. "医療保険者向け中間サーバ"
  std::chrono::system_clock::time_point start, end;
};

/// The documented stop window containing t, if any (the one ending last if several).
MYNA_API std::optional<StopWindow> stop_window_at(std::chrono::system_clock::time_point t);

/// When a stop window containing t ends (t itself when none applies).
MYNA_API std::chrono::system_clock::time_point next_available(std::chrono::system_clock::time_point t);

}  // namespace myna
