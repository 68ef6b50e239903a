/* pthreads.c — POSIX threads: a mutex and a condition variable (a bounded
 * producer/consumer queue), join values, pthread_once, thread-local
 * storage, a barrier and a read-write lock. The output does not depend on
 * how the threads interleave. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum { CAP = 4, ITEMS = 2000, PRODUCERS = 3, CONSUMERS = 2 };
static int queue[CAP], head, count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;
static long consumed_sum[CONSUMERS], consumed_count[CONSUMERS];
static int done_producers;

static void put(int v)
{
	pthread_mutex_lock(&lock);
	while (count == CAP) pthread_cond_wait(&not_full, &lock);
	queue[(head + count++) % CAP] = v;
	pthread_cond_signal(&not_empty);
	pthread_mutex_unlock(&lock);
}

static void *producer(void *arg)
{
	long id = (long)arg;
	for (int i = 0; i < ITEMS; i++) put((int)(id * 100000 + i));
	pthread_mutex_lock(&lock);
	done_producers++;
	pthread_cond_broadcast(&not_empty);
	pthread_mutex_unlock(&lock);
	return (void *)(id + 1);
}

static void *consumer(void *arg)
{
	long id = (long)arg;
	for (;;) {
		pthread_mutex_lock(&lock);
		while (count == 0 && done_producers < PRODUCERS) pthread_cond_wait(&not_empty, &lock);
		if (count == 0) {
			pthread_mutex_unlock(&lock);
			break;
		}
		int v = queue[head];
		head = (head + 1) % CAP;
		count--;
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&lock);
		consumed_sum[id] += v;
		consumed_count[id]++;
	}
	return NULL;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_calls;
static void init_once(void) { once_calls++; }
static __thread int tls_value = 7;
static pthread_barrier_t barrier;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int shared_table[8];

static void *worker(void *arg)
{
	long id = (long)arg;
	pthread_once(&once, init_once);
	tls_value += (int)id;
	pthread_rwlock_wrlock(&rw);
	shared_table[id] = tls_value;
	pthread_rwlock_unlock(&rw);
	pthread_barrier_wait(&barrier);
	pthread_rwlock_rdlock(&rw);
	int total = 0;
	for (int k = 0; k < 8; k++) total += shared_table[k];
	pthread_rwlock_unlock(&rw);
	return (void *)(long)total;
}

int main(void)
{
	pthread_t p[PRODUCERS], c[CONSUMERS];
	for (long i = 0; i < CONSUMERS; i++) pthread_create(&c[i], NULL, consumer, (void *)i);
	for (long i = 0; i < PRODUCERS; i++) pthread_create(&p[i], NULL, producer, (void *)i);
	long joined = 0;
	for (int i = 0; i < PRODUCERS; i++) {
		void *r;
		pthread_join(p[i], &r);
		joined += (long)r;
	}
	for (int i = 0; i < CONSUMERS; i++) pthread_join(c[i], NULL);
	long sum = 0, n = 0;
	for (int i = 0; i < CONSUMERS; i++) {
		sum += consumed_sum[i];
		n += consumed_count[i];
	}
	printf("consumed %ld items, sum %ld, producers returned %ld\n", n, sum, joined);

	pthread_barrier_init(&barrier, NULL, 8);
	pthread_t w[8];
	for (long i = 0; i < 8; i++) pthread_create(&w[i], NULL, worker, (void *)i);
	for (int i = 0; i < 8; i++) {
		void *r;
		pthread_join(w[i], &r);
		printf("worker %d saw total %ld\n", i, (long)r);
	}
	printf("once ran %d time(s); main's thread-local value %d\n", once_calls, tls_value);
	pthread_mutex_t m;
	pthread_mutex_init(&m, NULL);
	printf("trylock %d, trylock again %d\n", pthread_mutex_trylock(&m), pthread_mutex_trylock(&m) != 0);
	pthread_mutex_unlock(&m);
	return 0;
}
