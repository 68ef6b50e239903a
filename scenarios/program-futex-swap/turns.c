// Threads taking turns: T threads (argv[1]) pass a turn round R times
// (argv[2]). Thread i waits on a condition variable until the turn is its
// own, adds to a shared count, hands the turn to thread i+1 and wakes the
// others (pthread_cond_broadcast), so at any moment most threads wait in
// futex calls. Every wait and wake is a call on the program's futex table
// object (guest_os/objects/futex_table.h) through the translation table,
// so while that object is hot-swapped, threads are asleep in it and wakes
// go through its mediator. The output depends only on the arguments: a
// lost wake would hang the program, a wrong one break the order.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static long threads = 4, rounds = 40, turn, count, out_of_turn;
static long mine[64];

static void* taker(void* arg) {
  const long me = (long)arg;
  for (long r = 0; r < rounds; ++r) {
    pthread_mutex_lock(&lock);
    while (turn != me) pthread_cond_wait(&changed, &lock);
    if (count % threads != me) ++out_of_turn;
    ++count;
    ++mine[me];
    turn = (me + 1) % threads;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

int main(int argc, char** argv) {
  if (argc > 1) threads = strtol(argv[1], NULL, 0);
  if (argc > 2) rounds = strtol(argv[2], NULL, 0);
  if (threads < 2 || threads > 64 || rounds < 1) return 2;
  pthread_t t[64];
  for (long i = 0; i < threads; ++i)
    if (pthread_create(&t[i], NULL, taker, (void*)i) != 0) {
      printf("pthread_create %ld failed\n", i);
      return 1;
    }
  for (long i = 0; i < threads; ++i) pthread_join(t[i], NULL);
  long even = 1;
  for (long i = 0; i < threads; ++i) even &= mine[i] == rounds;
  printf("%ld threads took %ld turns each: %ld in all, %s, %ld out of turn\n", threads, rounds, count,
         even ? "every thread its share" : "shares differ", out_of_turn);
  return count == threads * rounds && even && !out_of_turn ? 0 : 1;
}
