#include "models/common/raft_logic.hpp"

#include <algorithm>

namespace mailsim::models::raft {

const char* role_name(Role r) {
  switch (r) {
    case Role::kFollower: return "follower";
    case Role::kPreCandidate: return "pre_candidate";
    case Role::kCandidate: return "candidate";
    case Role::kLeader: return "leader";
  }
  return "?";
}

RaftLogic::RaftLogic(RaftConfig cfg, std::function<double()> uniform01)
    : cfg_(cfg), uniform01_(std::move(uniform01)) {
  const auto n = static_cast<size_t>(cfg_.peers);
  votes_.assign(n, 0);
  rejects_.assign(n, 0);
  recent_active_.assign(n, 0);
  next_.assign(n, 1);
  match_.assign(n, 0);
  acked_round_.assign(n, 0);
  snapshot_round_.assign(n, 0);
}

int RaftLogic::count(const std::vector<char>& v) const {
  return static_cast<int>(std::count(v.begin(), v.end(), 1));
}

bool RaftLogic::log_up_to_date(uint64_t index, uint64_t term) const {
  // Raft 5.4.1: the candidate's log is at least as up to date as ours.
  const uint64_t my_term = term_at(last_index());
  return term > my_term || (term == my_term && index >= last_index());
}

void RaftLogic::reset_election_timer(RaftActions& out) {
  // etcd-io/raft resetRandomizedElectionTimeout: electiontimeout + rand(electiontimeout), i.e.
  // spread 1; the Raft paper's Figure 16 varies the width of the random part (150-151 ms to
  // 150-300 ms) to show how it decides split votes.
  out.timers.push_back({TimerKind::kElection, cfg_.election_timeout * (1.0 + cfg_.election_timeout_spread * uniform01_())});
}

RaftActions RaftLogic::start(double now, int leader) {
  RaftActions out;
  if (leader < 0) {
    reset_election_timer(out);
    return out;
  }
  term_ = 1;
  vote_ = leader;
  if (leader == cfg_.id) {
    become_leader(now, out);
    // Steady state: the followers already acknowledged this leader.
    std::fill(recent_active_.begin(), recent_active_.end(), 1);
  } else {
    lead_ = leader;
    heard_leader_at_ = now;
    reset_election_timer(out);
  }
  out.state_changed = true;
  return out;
}

void RaftLogic::crash() {
  role_ = Role::kFollower;
  lead_ = -1;
  transferee_ = -1;
  heard_leader_at_ = -1e300;
  reads_.clear();
}

RaftActions RaftLogic::restart(double now) {
  (void)now;
  RaftActions out;
  crash();
  for (uint64_t i = first_index(); i <= commit_; ++i) out.committed.push_back({i, entry(i)});
  out.timers.push_back({TimerKind::kHeartbeat, -1});
  reset_election_timer(out);
  out.state_changed = true;
  return out;
}

void RaftLogic::become_follower(uint64_t term, int lead, RaftActions& out) {
  transferee_ = -1;
  if (role_ == Role::kLeader) {
    fail_reads(out);
    out.timers.push_back({TimerKind::kHeartbeat, -1});
  }
  if (term != term_) {
    term_ = term;
    vote_ = -1;
  }
  role_ = Role::kFollower;
  lead_ = lead;
  reset_election_timer(out);
  out.state_changed = true;
}

void RaftLogic::become_pre_candidate(RaftActions& out) {
  // The term does not change and no vote is cast (etcd-io/raft becomePreCandidate).
  role_ = Role::kPreCandidate;
  lead_ = -1;
  std::fill(votes_.begin(), votes_.end(), 0);
  std::fill(rejects_.begin(), rejects_.end(), 0);
  votes_[static_cast<size_t>(cfg_.id)] = 1;
  out.state_changed = true;
}

void RaftLogic::become_candidate(RaftActions& out) {
  ++term_;
  vote_ = cfg_.id;
  role_ = Role::kCandidate;
  lead_ = -1;
  std::fill(votes_.begin(), votes_.end(), 0);
  std::fill(rejects_.begin(), rejects_.end(), 0);
  votes_[static_cast<size_t>(cfg_.id)] = 1;
  out.state_changed = true;
}

void RaftLogic::become_leader(double now, RaftActions& out) {
  (void)now;
  role_ = Role::kLeader;
  lead_ = cfg_.id;
  std::fill(next_.begin(), next_.end(), last_index() + 1);
  std::fill(match_.begin(), match_.end(), 0);
  std::fill(acked_round_.begin(), acked_round_.end(), 0);
  std::fill(snapshot_round_.begin(), snapshot_round_.end(), 0);
  std::fill(recent_active_.begin(), recent_active_.end(), 0);
  recent_active_[static_cast<size_t>(cfg_.id)] = 1;
  out.state_changed = true;
  // The empty entry of the new term (Raft 5.4.2; etcd-io/raft becomeLeader).
  log_.push_back({term_, 0});
  match_[static_cast<size_t>(cfg_.id)] = last_index();
  next_[static_cast<size_t>(cfg_.id)] = last_index() + 1;
  // Heartbeats every heartbeat_interval; the election timer becomes the check-quorum period.
  out.timers.push_back({TimerKind::kHeartbeat, cfg_.heartbeat_interval});
  out.timers.push_back({TimerKind::kElection, cfg_.election_timeout});
  broadcast_append(out);
  maybe_commit(out);
}

void RaftLogic::campaign(double now, RaftActions& out, bool transfer) {
  const bool pre = cfg_.pre_vote && role_ != Role::kPreCandidate && !transfer;
  if (pre) become_pre_candidate(out);
  else become_candidate(out);
  reset_election_timer(out);
  if (count(votes_) >= quorum()) {  // a one-member cluster
    if (pre) return campaign(now, out);
    return become_leader(now, out);
  }
  for (int p = 0; p < cfg_.peers; ++p) {
    if (p == cfg_.id) continue;
    Message m;
    m.type = pre ? MsgType::kPreVote : MsgType::kVote;
    m.from = cfg_.id;
    m.to = p;
    m.term = pre ? term_ + 1 : term_;
    m.log_index = last_index();
    m.log_term = term_at(last_index());
    m.transfer = transfer;
    out.send.push_back(std::move(m));
  }
}

RaftActions RaftLogic::on_timer(double now, TimerKind kind) {
  RaftActions out;
  if (kind == TimerKind::kHeartbeat) {
    if (role_ != Role::kLeader) return out;
    ++round_;
    broadcast_append(out);
    out.timers.push_back({TimerKind::kHeartbeat, cfg_.heartbeat_interval});
    return out;
  }
  if (role_ == Role::kLeader) {
    // Check quorum (etcd-io/raft tickHeartbeat -> MsgCheckQuorum), once per election timeout.
    if (cfg_.check_quorum && count(recent_active_) < quorum()) {
      become_follower(term_, -1, out);
      return out;
    }
    transferee_ = -1;  // etcd-io/raft abortLeaderTransfer: not done within an election timeout
    std::fill(recent_active_.begin(), recent_active_.end(), 0);
    recent_active_[static_cast<size_t>(cfg_.id)] = 1;
    out.timers.push_back({TimerKind::kElection, cfg_.election_timeout});
    return out;
  }
  // Follower or (pre-)candidate whose election timed out: start (again) from pre-vote.
  if (role_ == Role::kPreCandidate || role_ == Role::kCandidate) role_ = Role::kFollower;
  campaign(now, out);
  return out;
}

RaftActions RaftLogic::on_message(double now, const Message& m) {
  RaftActions out;
  const bool vote_req = m.type == MsgType::kPreVote || m.type == MsgType::kVote;
  if (m.term > term_) {
    if (vote_req) {
      // In lease: a live leader was heard within the election timeout (etcd-io/raft Step).
      // A transfer's campaign overrides it: the leader itself asked for it.
      const bool in_lease =
          cfg_.check_quorum && !m.transfer && lead_ >= 0 && now - heard_leader_at_ < cfg_.election_timeout;
      if (in_lease) return out;
    }
    if (m.type == MsgType::kPreVote || (m.type == MsgType::kPreVoteResp && !m.reject)) {
      // A pre-vote does not change our term.
    } else {
      become_follower(m.term, m.type == MsgType::kAppend ? m.from : -1, out);
    }
  } else if (m.term < term_) {
    if (m.type == MsgType::kAppend || m.type == MsgType::kPreVote) {
      // Tell a stale leader or pre-candidate our term so it steps down.
      Message r;
      r.type = m.type == MsgType::kAppend ? MsgType::kAppendResp : MsgType::kPreVoteResp;
      r.from = cfg_.id;
      r.to = m.from;
      r.term = term_;
      r.reject = true;
      out.send.push_back(std::move(r));
    }
    return out;
  }

  switch (m.type) {
    case MsgType::kPreVote:
    case MsgType::kVote: {
      const bool can_vote = vote_ == m.from || (vote_ < 0 && lead_ < 0) || (m.type == MsgType::kPreVote && m.term > term_);
      const bool grant = can_vote && log_up_to_date(m.log_index, m.log_term);
      Message r;
      r.type = m.type == MsgType::kPreVote ? MsgType::kPreVoteResp : MsgType::kVoteResp;
      r.from = cfg_.id;
      r.to = m.from;
      r.term = grant ? m.term : term_;
      r.reject = !grant;
      out.send.push_back(std::move(r));
      if (grant && m.type == MsgType::kVote) {
        vote_ = m.from;
        reset_election_timer(out);
      }
      return out;
    }
    case MsgType::kPreVoteResp:
    case MsgType::kVoteResp: {
      const bool pre = m.type == MsgType::kPreVoteResp;
      if ((pre && role_ != Role::kPreCandidate) || (!pre && role_ != Role::kCandidate)) return out;
      if (pre && !m.reject && m.term != term_ + 1) return out;
      (m.reject ? rejects_ : votes_)[static_cast<size_t>(m.from)] = 1;
      if (count(votes_) >= quorum()) {
        if (pre) campaign(now, out);
        else become_leader(now, out);
      } else if (count(rejects_) >= quorum()) {
        become_follower(term_, -1, out);
      }
      return out;
    }
    case MsgType::kSnapshot:
      follow(now, m.from, out);
      install_snapshot(m, out);
      return out;
    case MsgType::kAppend: {
      follow(now, m.from, out);
      Message r = append_response(m);
      if (m.log_index < snap_index_) {
        // Compacted: committed and ours for good, but its term is gone; say how far we are
        // (etcd-io/raft handleAppendEntries answers an index below its commit index so).
        r.match = commit_;
        out.send.push_back(std::move(r));
        return out;
      }
      if (m.log_index > last_index() || term_at(m.log_index) != m.log_term) {
        r.reject = true;
        r.match = std::min(last_index(), m.log_index > 0 ? m.log_index - 1 : 0);
        out.send.push_back(std::move(r));
        return out;
      }
      uint64_t idx = m.log_index;
      for (const auto& e : m.entries) {
        ++idx;
        if (idx <= last_index()) {
          if (term_at(idx) == e.term) continue;
          log_.resize(idx - 1 - snap_index_);  // conflict: drop our suffix (never committed, Raft 5.3)
        }
        log_.push_back(e);
      }
      const uint64_t last_new = m.log_index + m.entries.size();
      advance_commit(std::min(m.commit, last_new), out);
      r.match = last_new;
      out.send.push_back(std::move(r));
      return out;
    }
    case MsgType::kAppendResp: {
      if (role_ != Role::kLeader) return out;
      const auto p = static_cast<size_t>(m.from);
      recent_active_[p] = 1;
      acked_round_[p] = std::max(acked_round_[p], m.round);
      snapshot_round_[p] = 0;
      if (m.reject) {
        next_[p] = std::max<uint64_t>(1, std::min(next_[p] - 1, m.match + 1));
        send_append(m.from, out);
      } else if (m.match > match_[p]) {
        match_[p] = m.match;
        next_[p] = m.match + 1;
        maybe_commit(out);
        if (m.from == transferee_ && match_[p] == last_index()) send_timeout_now(out);
      }
      maybe_release_reads(out);
      return out;
    }
    case MsgType::kTimeoutNow: {
      // The leader hands over: campaign now, in a new term, without pre-vote.
      if (role_ != Role::kFollower) return out;
      campaign(now, out, true);
      return out;
    }
  }
  return out;
}

Message RaftLogic::append_response(const Message& m) const {
  Message r;
  r.type = MsgType::kAppendResp;
  r.from = cfg_.id;
  r.to = m.from;
  r.term = term_;
  r.round = m.round;  // echoed: the leader's ReadIndex counts the rounds acknowledged
  return r;
}

// A message from the leader of our term: follow it and restart the election timer.
void RaftLogic::follow(double now, int from, RaftActions& out) {
  if (role_ != Role::kFollower || lead_ != from) {
    if (role_ != Role::kFollower) become_follower(term_, from, out);
    lead_ = from;
    out.state_changed = true;
  }
  heard_leader_at_ = now;
  reset_election_timer(out);
}

// etcd-io/raft handleSnapshot/restore: a snapshot we already have committed changes nothing;
// one whose last entry we hold only moves our commit index; otherwise our log is replaced.
void RaftLogic::install_snapshot(const Message& m, RaftActions& out) {
  Message r = append_response(m);
  if (m.log_index <= commit_) {
    r.match = commit_;
  } else if (m.log_index <= last_index() && term_at(m.log_index) == m.log_term) {
    advance_commit(m.log_index, out);
    r.match = m.log_index;
  } else {
    log_.clear();
    snap_index_ = m.log_index;
    snap_term_ = m.log_term;
    commit_ = m.log_index;
    out.snapshot_installed = m.log_index;
    r.match = m.log_index;
  }
  out.send.push_back(std::move(r));
}

void RaftLogic::compact(uint64_t index) {
  index = std::min(index, commit_);
  if (index <= snap_index_) return;
  snap_term_ = term_at(index);
  log_.erase(log_.begin(), log_.begin() + static_cast<std::ptrdiff_t>(index - snap_index_));
  snap_index_ = index;
}

RaftActions RaftLogic::transfer_leadership(double now, int to) {
  (void)now;
  RaftActions out;
  if (role_ != Role::kLeader || to == cfg_.id || to < 0 || to >= cfg_.peers) return out;
  transferee_ = to;
  if (match_[static_cast<size_t>(to)] == last_index()) send_timeout_now(out);
  else send_append(to, out);
  return out;
}

void RaftLogic::send_timeout_now(RaftActions& out) {
  Message m;
  m.type = MsgType::kTimeoutNow;
  m.from = cfg_.id;
  m.to = transferee_;
  m.term = term_;
  out.send.push_back(std::move(m));
}

void RaftLogic::broadcast_append(RaftActions& out) {
  for (int p = 0; p < cfg_.peers; ++p)
    if (p != cfg_.id) send_append(p, out);
}

void RaftLogic::send_append(int to, RaftActions& out) {
  const auto p = static_cast<size_t>(to);
  // The entries it needs are compacted away: send the snapshot (etcd-io/raft maybeSendSnapshot).
  if (next_[p] <= snap_index_) return send_snapshot(to, out);
  if (snapshot_round_[p] != 0) return;  // the follower is taking a snapshot
  Message m;
  m.type = MsgType::kAppend;
  m.from = cfg_.id;
  m.to = to;
  m.term = term_;
  m.log_index = next_[p] - 1;
  m.log_term = term_at(m.log_index);
  for (uint64_t i = next_[p]; i <= last_index() && m.entries.size() < cfg_.max_entries_per_msg; ++i) m.entries.push_back(entry(i));
  m.commit = commit_;
  m.round = round_;
  out.send.push_back(std::move(m));
}

void RaftLogic::send_snapshot(int to, RaftActions& out) {
  const auto p = static_cast<size_t>(to);
  const auto rounds = static_cast<uint64_t>((cfg_.snapshot_stream_time + cfg_.election_timeout) / cfg_.heartbeat_interval) + 1;
  if (snapshot_round_[p] != 0 && round_ < snapshot_round_[p] + rounds) return;
  snapshot_round_[p] = std::max<uint64_t>(round_, 1);
  Message m;
  m.type = MsgType::kSnapshot;
  m.from = cfg_.id;
  m.to = to;
  m.term = term_;
  m.log_index = snap_index_;
  m.log_term = snap_term_;
  m.commit = commit_;
  m.round = round_;
  m.snapshot_bytes = cfg_.snapshot_bytes;
  out.send.push_back(std::move(m));
}

void RaftLogic::advance_commit(uint64_t to, RaftActions& out) {
  for (uint64_t i = commit_ + 1; i <= to; ++i) out.committed.push_back({i, entry(i)});
  if (to > commit_) commit_ = to;
}

void RaftLogic::maybe_commit(RaftActions& out) {
  std::vector<uint64_t> m = match_;
  std::sort(m.begin(), m.end(), std::greater<>());
  const uint64_t n = m[static_cast<size_t>(quorum() - 1)];
  if (n > commit_ && term_at(n) == term_) advance_commit(n, out);  // only entries of this term (Raft 5.4.2)
}

uint64_t RaftLogic::propose(double now, uint64_t data, RaftActions& out) {
  (void)now;
  if (role_ != Role::kLeader || transferee_ >= 0) return 0;  // a transfer drops proposals
  log_.push_back({term_, data});
  match_[static_cast<size_t>(cfg_.id)] = last_index();
  broadcast_append(out);
  maybe_commit(out);
  return last_index();
}

bool RaftLogic::read_index(double now, uint64_t id, RaftActions& out) {
  (void)now;
  if (role_ != Role::kLeader) return false;
  ++round_;
  reads_.push_back({id, round_});
  acked_round_[static_cast<size_t>(cfg_.id)] = round_;
  broadcast_append(out);
  maybe_release_reads(out);
  return true;
}

void RaftLogic::maybe_release_reads(RaftActions& out) {
  // A read is safe once this leader holds an entry of its own term committed (etcd-io/raft
  // refuses ReadIndex before that) and a majority acked a round sent after the read came.
  if (reads_.empty() || term_at(commit_) != term_) return;
  acked_round_[static_cast<size_t>(cfg_.id)] = round_;
  auto it = reads_.begin();
  for (; it != reads_.end(); ++it) {
    int acks = 0;
    for (uint64_t r : acked_round_) acks += r >= it->round ? 1 : 0;
    if (acks < quorum()) break;
    out.reads_ready.push_back(it->id);
  }
  reads_.erase(reads_.begin(), it);
}

void RaftLogic::fail_reads(RaftActions& out) {
  for (const auto& r : reads_) out.reads_failed.push_back(r.id);
  reads_.clear();
}

}  // namespace mailsim::models::raft
