#include "models/pgbouncer/pgbouncer_logic.hpp"

#include <algorithm>

namespace mailsim::models {

PoolAdmit PgBouncerPool::on_client(uint64_t ticket, double now) {
  if (busy_ + waiting() >= c_.max_client_conn) return PoolAdmit::kRejectFull;
  if (!idle_since_.empty()) {
    // server_round_robin = 0 (the default): the most recently used connection first (LIFO).
    taken_idle_since_ = idle_since_.back();
    idle_since_.pop_back();
    ++busy_;
    return PoolAdmit::kServe;
  }
  // doc/config.md, server_login_retry: "new clients trying to connect to the failing server
  // will get an error immediately without another connection attempt".
  if (login_failing(now)) return PoolAdmit::kRejectLoginFailing;
  queue_.push_back({ticket, now});
  return PoolAdmit::kWait;
}

int PgBouncerPool::connects_to_open(double now) {
  if (login_failing(now)) return 0;
  int n = 0;
  while (connecting_ < waiting() && servers() < c_.pool_size) {
    ++connecting_;
    ++n;
  }
  return n;
}

std::optional<uint64_t> PgBouncerPool::on_connected(double now) {
  if (connecting_ > 0) --connecting_;
  login_failed_until_ = -1;
  if (!queue_.empty()) {
    uint64_t t = queue_.front().ticket;
    queue_.pop_front();
    ++busy_;
    return t;
  }
  idle_since_.push_back(now);
  return std::nullopt;
}

void PgBouncerPool::on_connect_failed(double now) {
  if (connecting_ > 0) --connecting_;
  login_failed_until_ = std::max(login_failed_until_, now + c_.server_login_retry);
}

std::optional<uint64_t> PgBouncerPool::on_release(bool reuse, double now) {
  if (busy_ > 0) --busy_;
  if (!reuse) return std::nullopt;
  if (!queue_.empty()) {
    uint64_t t = queue_.front().ticket;
    queue_.pop_front();
    ++busy_;
    return t;
  }
  idle_since_.push_back(now);
  return std::nullopt;
}

void PgBouncerPool::on_check_failed(uint64_t ticket, double since) {
  if (busy_ > 0) --busy_;
  queue_.push_front({ticket, since});
}

std::vector<uint64_t> PgBouncerPool::expire(double now) {
  std::vector<uint64_t> out;
  if (c_.query_wait_timeout <= 0) return out;
  // FIFO: the queue is in arrival order, so expiries are at the front.
  while (!queue_.empty() && queue_.front().since + c_.query_wait_timeout <= now + 1e-12) {
    out.push_back(queue_.front().ticket);
    queue_.pop_front();
  }
  // Connections opened for clients that left are still useful: they will idle.
  return out;
}

std::optional<double> PgBouncerPool::next_expiry() const {
  if (c_.query_wait_timeout <= 0 || queue_.empty()) return std::nullopt;
  return queue_.front().since + c_.query_wait_timeout;
}

std::optional<double> PgBouncerPool::login_retry_at(double now) const {
  if (!login_failing(now)) return std::nullopt;
  return login_failed_until_;
}

bool PgBouncerPool::cancel(uint64_t ticket) {
  auto it = std::find_if(queue_.begin(), queue_.end(), [ticket](const Waiter& w) { return w.ticket == ticket; });
  if (it == queue_.end()) return false;
  queue_.erase(it);
  return true;
}

std::vector<uint64_t> PgBouncerPool::reset() {
  std::vector<uint64_t> out;
  for (const auto& w : queue_) out.push_back(w.ticket);
  queue_.clear();
  busy_ = connecting_ = 0;
  idle_since_.clear();
  login_failed_until_ = -1;
  return out;
}

}  // namespace mailsim::models
