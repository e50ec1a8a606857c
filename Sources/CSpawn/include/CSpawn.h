// Starting a child process with posix_spawn: the glibc file actions that set its working directory and
// close every inherited descriptor above stderr are GNU extensions the Swift importer does not show, and
// Foundation's Process costs tens of milliseconds a spawn here (posix_spawn: about one).
#ifndef CSPAWN_H
#define CSPAWN_H
#include <sys/types.h>

/// Spawns `path` with `argv` and `envp` (NULL-terminated) in directory `cwd`, its standard input, output
/// and error on the given descriptors, every other descriptor closed, in a new process group when
/// `new_group` is non-zero. Stores the child's pid in `*pid`; returns 0 or an errno value.
int jf_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
             int stdin_fd, int stdout_fd, int stderr_fd, int new_group, pid_t *pid);
#endif
