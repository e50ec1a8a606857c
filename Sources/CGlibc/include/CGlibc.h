// The glibc calls JudgeFlow needs that are GNU extensions the Swift importer does not show: posix_spawn's
// file actions that set a child's working directory and close every inherited descriptor above stderr
// (Foundation's Process costs tens of milliseconds a spawn here; posix_spawn about one), syncfs, and statfs.
#ifndef CGLIBC_H
#define CGLIBC_H
#include <sys/types.h>

/// Spawns `path` with `argv` and `envp` (NULL-terminated) in directory `cwd`, its standard input, output
/// and error on the given descriptors, every other descriptor closed, no signal blocked and every signal
/// at its default action, in a new process group when `new_group` is non-zero. Stores the child's pid in `*pid`; returns 0 or an errno value.
int jf_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
             int stdin_fd, int stdout_fd, int stderr_fd, int new_group, pid_t *pid);

/// Like `jf_spawn` with standard input from /dev/null, for a long-lived child that must not outlive us:
/// the child leads a new process group and gets SIGKILL when the thread that spawned it ends (for any
/// reason, SIGKILL included: prctl's parent-death signal; a server mid-shutdown may ignore SIGTERM). Returns 0 or an errno value.
int jf_spawn_tethered(const char *path, char *const argv[], char *const envp[], const char *cwd,
                      int stdout_fd, int stderr_fd, pid_t *pid);

/// syncfs(2): flushes the filesystem holding `fd` to stable storage; returns 0 or -1 with errno set.
int jf_syncfs(int fd);

/// statfs(2)'s `f_type` of the filesystem holding `path` (a magic number from linux/magic.h) in `*type`;
/// returns 0 or -1 with errno set.
int jf_filesystem_type(const char *path, long *type);
#endif
