// Does not compile on purpose (tests/programs: a scenario's program that
// does not build is the scenario's error, with the compiler's message).
int main(void) { return undeclared_name; }
