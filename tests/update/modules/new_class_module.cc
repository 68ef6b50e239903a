// A module that only adds a class: a new service object and its factory,
// callable by name through the class registry. Nothing existing is touched.
#include "update/dynamic_update.h"

class Greeter {
 public:
  virtual u64 greet(u64 x) = 0;

 protected:
  ~Greeter() = default;
};

class GreeterImpl final : public obj::SingleRep<Greeter> {
 public:
  u64 greet(u64 x) override { return x * 3 + 1; }
  void destroy(bool) override { delete this; }
  const char* class_name() const override { return "GreeterImpl"; }
};

class GreeterFactory : public obj::Factory {
 public:
  GreeterFactory() : Factory(0) { make_registry(); }
  obj::ObjectRoot* create_replacement(obj::ObjectRoot*) override { return new GreeterImpl(); }
  const char* class_name() const override { return "GreeterFactory"; }
};

extern "C" long dusim_module_init(void* arg) {
  upd::UpdateContext& ctx = *static_cast<upd::UpdateContext*>(arg);
  return upd::add_class(ctx, "Greeter", new GreeterFactory(), nullptr) == kOk ? 0 : 1;
}
