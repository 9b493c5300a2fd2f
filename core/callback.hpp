#pragma once
// A move-only `void()` callable with an inline buffer: what a scheduler stores per timer.
// A callable of up to kInlineBytes is constructed in the buffer, so scheduling it allocates
// nothing; a larger one goes to the heap. 80 bytes holds every closure the engine and the
// models schedule (measured: the largest, a balancer's connection attempt and its hop with
// two continuations, need more than 64). Unlike
// std::function it accepts move-only callables and is never copied.
#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace mailsim::core {

class Callback {
 public:
  static constexpr size_t kInlineBytes = 80;

  Callback() = default;
  template <class F, class D = std::decay_t<F>, std::enable_if_t<!std::is_same_v<D, Callback>, int> = 0>
  Callback(F&& f) {  // NOLINT(google-explicit-constructor): a lambda converts as to std::function
    if constexpr (fits_inline<D>()) {
      ::new (static_cast<void*>(buf_)) D(std::forward<F>(f));
      ops_ = &kInlineOps<D>;
    } else {
      ::new (static_cast<void*>(buf_)) D*(new D(std::forward<F>(f)));
      ops_ = &kHeapOps<D>;
    }
  }
  Callback(Callback&& o) noexcept : ops_(o.ops_) {
    if (ops_ != nullptr) ops_->move(buf_, o.buf_);
    o.ops_ = nullptr;
  }
  Callback& operator=(Callback&& o) noexcept {
    if (this != &o) {
      reset();
      ops_ = o.ops_;
      if (ops_ != nullptr) ops_->move(buf_, o.buf_);
      o.ops_ = nullptr;
    }
    return *this;
  }
  Callback(const Callback&) = delete;
  Callback& operator=(const Callback&) = delete;
  ~Callback() { reset(); }

  explicit operator bool() const { return ops_ != nullptr; }
  void operator()() { ops_->call(buf_); }
  void reset() {
    if (ops_ != nullptr) ops_->destroy(buf_);
    ops_ = nullptr;
  }
  // Whether a callable of type F is stored without a heap allocation.
  template <class F>
  static constexpr bool fits_inline() {
    return sizeof(F) <= kInlineBytes && alignof(F) <= alignof(std::max_align_t) &&
           std::is_nothrow_move_constructible_v<F>;
  }

 private:
  struct Ops {
    void (*call)(void* self);
    void (*move)(void* dst, void* src);  // constructs dst from src and destroys src
    void (*destroy)(void* self);
  };
  template <class D>
  static constexpr Ops kInlineOps{
      [](void* self) { (*static_cast<D*>(self))(); },
      [](void* dst, void* src) {
        ::new (dst) D(std::move(*static_cast<D*>(src)));
        static_cast<D*>(src)->~D();
      },
      [](void* self) { static_cast<D*>(self)->~D(); },
  };
  template <class D>
  static constexpr Ops kHeapOps{
      [](void* self) { (**static_cast<D**>(self))(); },
      [](void* dst, void* src) { ::new (dst) D*(*static_cast<D**>(src)); },
      [](void* self) { delete *static_cast<D**>(self); },
  };

  alignas(std::max_align_t) unsigned char buf_[kInlineBytes];
  const Ops* ops_ = nullptr;
};

}  // namespace mailsim::core
