// The network's floor: what the frames of a fan-out run cost this machine's kernel with no
// application around them. N loopback TCP connections (sources spread over 127.0.0.2-9, as the
// generator does); WRITERS threads write RATE frames a second between them, one write() per frame
// to a random connection, as a server flushing one Socket.IO packet per socket does; one thread
// reads them with epoll, as the generator's event loop does. Frames alternate SIZE_A and SIZE_B
// bytes. Prints the CPU (user + system) each side used, in % of one core.
//
// A fan-out message in rooms of 10 is about 20 frames from the server (docs/benchmarks.md): 9
// room-message-created, 10 room-message-confirmed, the sender's ack. So RATE = 20 x msg/s.
//
//   gcc -O2 -pthread -o /tmp/wire-floor loadtest/bench/wire-floor.c
//   /tmp/wire-floor 9000 78400 10 450 300 2     # 4,000 msg/s for 10 s
//
// Arguments: N RATE SECONDS [SIZE_A SIZE_B [WRITERS]]; defaults 450, 300, 1. N is at most about
// 9,900 here: both ends of every connection are in this process, under the 20,000 open-file limit.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_WRITERS 8

static int conns, rate, seconds, size_a = 450, size_b = 300, writers = 1;
static int *server_end, *client_end;
static volatile int stop;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int writers_done;
static double writer_cpu, reader_cpu;
static long frames_written, frames_refused, bytes_read;

static double thread_cpu(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

// Writer k owns the connections k, k + writers, ...: each connection has one writer, as each
// socket has one event loop. Every millisecond it writes what is due, so the rate holds open-loop.
static void *writer(void *arg) {
  long k = (long)arg;
  char frame[4096];
  memset(frame, 'x', sizeof frame);
  frame[0] = (char)0x81;  // a WebSocket text frame's first byte; the kernel does not care
  int own = conns / writers, my_rate = rate / writers;
  unsigned seed = 1 + (unsigned)k;
  long sent = 0, refused = 0;
  double cpu0 = thread_cpu(), t0 = now(), next = t0;
  while (now() - t0 < seconds) {
    next += 0.001;
    long due = (long)((next - t0) * my_rate);
    for (; sent < due; sent++) {
      seed = seed * 1103515245 + 12345;
      int i = (int)((seed >> 8) % own) * writers + (int)k;
      if (write(server_end[i], frame, (sent & 1) ? size_b : size_a) < 0) {
        if (errno != EAGAIN) {
          perror("write");
          exit(1);
        }
        refused++;  // the socket's buffer is full: the reader is behind; counted, not retried
      }
    }
    double idle = next - now();
    if (idle > 0) {
      struct timespec ts = {0, (long)(idle * 1e9)};
      nanosleep(&ts, NULL);
    }
  }
  pthread_mutex_lock(&lock);
  writer_cpu += thread_cpu() - cpu0;
  frames_written += sent - refused;
  frames_refused += refused;
  if (++writers_done == writers) {
    stop = 1;
  }
  pthread_mutex_unlock(&lock);
  return NULL;
}

static void *reader(void *arg) {
  (void)arg;
  int ep = epoll_create1(0);
  struct epoll_event ev, ready[512];
  static char buf[65536];
  for (int i = 0; i < conns; i++) {
    ev.events = EPOLLIN;
    ev.data.u32 = (unsigned)i;
    epoll_ctl(ep, EPOLL_CTL_ADD, client_end[i], &ev);
  }
  double cpu0 = thread_cpu();
  while (!stop) {
    int n = epoll_wait(ep, ready, 512, 100);
    for (int r = 0; r < n; r++) {
      int fd = client_end[ready[r].data.u32];
      ssize_t got;
      while ((got = read(fd, buf, sizeof buf)) > 0) {
        bytes_read += got;
        if (got < (ssize_t)sizeof buf) {
          break;
        }
      }
    }
  }
  reader_cpu = thread_cpu() - cpu0;
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s N RATE SECONDS [SIZE_A SIZE_B [WRITERS]]\n", argv[0]);
    return 2;
  }
  conns = atoi(argv[1]);
  rate = atoi(argv[2]);
  seconds = atoi(argv[3]);
  if (argc > 5) {
    size_a = atoi(argv[4]);
    size_b = atoi(argv[5]);
  }
  if (argc > 6) {
    writers = atoi(argv[6]);
  }
  if (writers < 1 || writers > MAX_WRITERS || size_a > 4096 || size_b > 4096 || conns < writers) {
    fprintf(stderr, "WRITERS 1-%d, sizes up to 4096, N at least WRITERS\n", MAX_WRITERS);
    return 2;
  }
  struct rlimit files = {20000, 20000};
  setrlimit(RLIMIT_NOFILE, &files);
  server_end = calloc((size_t)conns, sizeof(int));
  client_end = calloc((size_t)conns, sizeof(int));

  int one = 1;
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(39999)};
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (bind(listener, (struct sockaddr *)&addr, sizeof addr) || listen(listener, 4096)) {
    perror("listen");
    return 1;
  }
  for (int i = 0; i < conns; i++) {
    client_end[i] = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in source = {.sin_family = AF_INET};
    char ip[32];
    snprintf(ip, sizeof ip, "127.0.0.%d", 2 + i % 8);
    inet_pton(AF_INET, ip, &source.sin_addr);
    if (client_end[i] < 0 || bind(client_end[i], (struct sockaddr *)&source, sizeof source)
        || connect(client_end[i], (struct sockaddr *)&addr, sizeof addr)) {
      perror("connect");
      return 1;
    }
    server_end[i] = accept(listener, NULL, NULL);
    // As Netty and the generator set them: every write leaves at once.
    setsockopt(server_end[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(client_end[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(server_end[i], F_SETFL, O_NONBLOCK);
    fcntl(client_end[i], F_SETFL, O_NONBLOCK);
  }

  pthread_t write_threads[MAX_WRITERS], read_thread;
  pthread_create(&read_thread, NULL, reader, NULL);
  for (long k = 0; k < writers; k++) {
    pthread_create(&write_threads[k], NULL, writer, (void *)k);
  }
  for (int k = 0; k < writers; k++) {
    pthread_join(write_threads[k], NULL);
  }
  pthread_join(read_thread, NULL);
  printf("conns %d writers %d rate %d frames/s: writers %.0f%% reader %.0f%% of a core (sum %.0f%%), "
         "%.2f us/frame; %ld frames written (%.1f%% of due), %ld refused (buffer full), %ld bytes read\n",
         conns, writers, rate, 100 * writer_cpu / seconds, 100 * reader_cpu / seconds,
         100 * (writer_cpu + reader_cpu) / seconds, 1e6 * (writer_cpu + reader_cpu) / frames_written,
         frames_written, 100.0 * frames_written / ((double)rate * seconds), frames_refused, bytes_read);
  return 0;
}
