// Package pgtest starts a private PostgreSQL server for tests: a cluster
// made with initdb in a temporary directory, listening only on a Unix
// socket there, removed when the tests end. No mocks: the tests of the
// PostgreSQL store and of the distributed workers run against the real
// server of the distribution's packages. When no server binaries are
// found the tests skip, saying why.
//
// One server per test binary (Main in TestMain), a fresh database per test
// (DB).
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Server is a running private cluster.
type Server struct {
	dir  string // the cluster's data and its socket live here
	cmd  *exec.Cmd
	exit chan error
	n    atomic.Int64
}

// ErrNoServer says why no server could be started (no binaries).
var ErrNoServer = errors.New("no PostgreSQL server binaries (initdb, postgres) on PATH or in /usr/lib/postgresql/*/bin; install the postgresql package")

// binDir finds the directory holding initdb and postgres.
func binDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			if _, err := os.Stat(filepath.Join(filepath.Dir(real), "postgres")); err == nil {
				return filepath.Dir(real), nil
			}
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", ErrNoServer
}

func version(dir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return v
}

// credential is who runs the server: initdb and postgres refuse root, so
// as root they run as the postgres system user (the Debian package's), or
// nobody.
func credential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, errors.New("running as root and there is no postgres or nobody user to run the server as")
}

// Start initializes a cluster in a new temporary directory and starts its
// server on a Unix socket there.
func Start() (*Server, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	cred, err := credential()
	if err != nil {
		return nil, err
	}
	// A short directory: a Unix socket's path has at most 107 bytes. The
	// server's user must be able to reach it: as root, under /tmp when
	// $TMPDIR is closed to others.
	parent := os.TempDir()
	if fi, err := os.Stat(parent); cred != nil && (err != nil || fi.Mode().Perm()&0o001 == 0) {
		parent = "/tmp"
	}
	dir, err := os.MkdirTemp(parent, "pg")
	if err != nil {
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	run := func(name string, args ...string) *exec.Cmd {
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "LC_ALL=C")
		cmd.SysProcAttr = sysProcAttr(cred)
		return cmd
	}
	data := filepath.Join(dir, "data")
	if out, err := run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	s := &Server{dir: dir, exit: make(chan error, 1)}
	s.cmd = run("postgres", "-D", data, "-k", dir, "-c", "listen_addresses=", "-c", "fsync=off",
		"-c", "full_page_writes=off", "-c", "synchronous_commit=off", "-c", "max_connections=200")
	logf, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	defer logf.Close()
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("postgres: %w", err)
	}
	go func() { s.exit <- s.cmd.Wait() }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := pgx.Connect(context.Background(), s.URL("postgres"))
		if err == nil {
			conn.Close(context.Background())
			return s, nil
		}
		select {
		case werr := <-s.exit:
			log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
			os.RemoveAll(dir)
			return nil, fmt.Errorf("postgres exited: %v\n%s", werr, log)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Stop()
			return nil, fmt.Errorf("postgres did not accept connections within 30s: %v", err)
		}
	}
}

// URL is the URL of database name on the server.
func (s *Server) URL(name string) string {
	return "postgres://postgres@/" + name + "?host=" + s.dir + "&sslmode=disable"
}

// NewDB creates a fresh database and returns its URL.
func (s *Server) NewDB(ctx context.Context) (string, error) {
	name := fmt.Sprintf("t%d", s.n.Add(1))
	conn, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	return s.URL(name), nil
}

// Stop shuts the server down (fast shutdown) and removes its directory.
func (s *Server) Stop() {
	if s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-s.exit:
		case <-time.After(20 * time.Second):
			s.cmd.Process.Kill()
			<-s.exit
		}
	}
	os.RemoveAll(s.dir)
}

var (
	shared    *Server
	sharedErr error
	once      sync.Once
)

// Main runs a package's tests (call it from TestMain) and stops the
// shared server, if a test started one, when they end.
func Main(m *testing.M) int {
	code := m.Run()
	if shared != nil {
		shared.Stop()
	}
	return code
}

// DB returns the URL of a fresh database on the package's shared server,
// started on first use; the test skips, saying why, when there is no
// server to start.
func DB(t testing.TB) string {
	t.Helper()
	once.Do(func() { shared, sharedErr = Start() })
	if errors.Is(sharedErr, ErrNoServer) {
		t.Skip(sharedErr)
	}
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	url, err := shared.NewDB(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return url
}
