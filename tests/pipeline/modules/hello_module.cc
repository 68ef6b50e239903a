// A minimal update module for the scenario-pipeline test: real C++ compiled
// by dusim with the cross compiler, delivered through the mailbox.
extern "C" int dusim_module_init() { return 42; }
