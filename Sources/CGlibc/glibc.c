#define _GNU_SOURCE
#include "CGlibc.h"
#include <unistd.h>
#include <sys/wait.h>
#include <spawn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/vfs.h>

int jf_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
             int stdin_fd, int stdout_fd, int stderr_fd, int new_group, pid_t *pid) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int error = posix_spawn_file_actions_init(&actions);
    if (error) return error;
    error = posix_spawnattr_init(&attributes);
    if (error) { posix_spawn_file_actions_destroy(&actions); return error; }
    if (!error) error = posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
    if (!error) error = posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
    if (!error) error = posix_spawn_file_actions_adddup2(&actions, stderr_fd, 2);
    if (!error) error = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    if (!error && cwd) error = posix_spawn_file_actions_addchdir_np(&actions, cwd);
    // The child starts with no signal blocked and every signal at its default action: a thread of ours may
    // block or ignore some (SIGPIPE), and a command must not inherit that.
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (!error) error = posix_spawnattr_setsigmask(&attributes, &none);
    if (!error) error = posix_spawnattr_setsigdefault(&attributes, &all);
    if (!error && new_group) {
        flags |= POSIX_SPAWN_SETPGROUP;
        error = posix_spawnattr_setpgroup(&attributes, 0);
    }
    if (!error) error = posix_spawnattr_setflags(&attributes, flags);
    if (!error) error = posix_spawn(pid, path, &actions, &attributes, argv, envp);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    return error;
}

int jf_spawn_tethered(const char *path, char *const argv[], char *const envp[], const char *cwd,
                      int stdout_fd, int stderr_fd, pid_t *pid) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return errno;
    pid_t parent = getpid();
    pid_t child = fork();
    if (child < 0) { int e = errno; close(report[0]); close(report[1]); return e; }
    if (child == 0) {
        // Only async-signal-safe calls until execve. No signal blocked, every one at its default action
        // (the spawning thread may block SIGTERM or ignore SIGPIPE; a server must not inherit that).
        int e = 0;
        struct sigaction default_action;
        default_action.sa_handler = SIG_DFL;
        default_action.sa_flags = 0;
        sigemptyset(&default_action.sa_mask);
        for (int signal_number = 1; signal_number < NSIG; signal_number++) sigaction(signal_number, &default_action, 0);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, 0);
        if (setpgid(0, 0) != 0) e = errno;
        if (!e && prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) e = errno;
        if (!e && getppid() != parent) e = ESRCH;
        int null_fd = e ? -1 : open("/dev/null", O_RDONLY);
        if (!e && null_fd < 0) e = errno;
        if (!e && dup2(null_fd, 0) < 0) e = errno;
        if (!e && dup2(stdout_fd, 1) < 0) e = errno;
        if (!e && dup2(stderr_fd, 2) < 0) e = errno;
        if (!e && cwd && chdir(cwd) != 0) e = errno;
        if (!e) {
            // close every inherited descriptor but the report pipe (close-on-exec) and 0-2
            for (int fd = 3; fd < 65536; fd++) if (fd != report[1]) close(fd);
            execve(path, argv, envp);
            e = errno;
        }
        ssize_t ignored = write(report[1], &e, sizeof e);
        (void)ignored;
        _exit(127);
    }
    close(report[1]);
    int e = 0;
    ssize_t n;
    do { n = read(report[0], &e, sizeof e); } while (n < 0 && errno == EINTR);
    close(report[0]);
    if (n == sizeof e && e != 0) { int status; waitpid(child, &status, 0); return e; }
    *pid = child;
    return 0;
}

int jf_syncfs(int fd) { return syncfs(fd); }

int jf_filesystem_type(const char *path, long *type) {
    struct statfs fs;
    if (statfs(path, &fs) != 0) return -1;
    *type = (long)fs.f_type;
    return 0;
}
