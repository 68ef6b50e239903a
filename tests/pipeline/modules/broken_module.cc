// Does not compile: the scenario using it must be refused with the
// compiler's message and exit code 125.
extern "C" int dusim_module_init() { return undefined_thing; }
