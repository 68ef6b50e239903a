/* fp_probe.c — deliberately uses floating point: nofloat.sh must flag the ELF
 * built from it (test isa.corpus.nofloat_detects). Never run. */
double scale(double a, double b) { return a * b + 1.0; }
void _start(void) {}
