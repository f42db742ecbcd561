// An open-loop HTTP/1.1 load generator without a garbage collector in the way: the same contract as
// bench/lib/open-loop.ts (request i is due at start + i/rate whatever happened before it; latency runs
// from that due time to the end of the answer, so there is no coordinated omission), but run by one OS
// thread that polls non-blocking keep-alive sockets with epoll and spins between due times, with Go's GC
// switched off and every buffer allocated before the clock starts. A Node generator pauses for its own
// scavenges (100+ per 10 s run at 5,000 requests/s), and every request in flight during a pause looks
// slow; this one measures the server, not itself.
//
// Protocol: one JSON OpenLoopOptions per line on stdin; one JSON result per line on stdout, with the raw
// latencies (µs) so that the caller summarizes them with the same code as the Node generator. Prints
// READY once it reads runs.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"
)

type request struct {
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Body    *string           `json:"body"`
	Headers map[string]string `json:"headers"`
}

type options struct {
	URL          string            `json:"url"`
	Rate         float64           `json:"rate"`
	DurationS    float64           `json:"durationS"`
	Connections  int               `json:"connections"`
	Requests     []request         `json:"requests"`
	Headers      map[string]string `json:"headers"`
	ExpectStatus []int             `json:"expectStatus"`
	TimeoutMs    float64           `json:"timeoutMs"`
}

type result struct {
	Scheduled        int            `json:"scheduled"`
	Succeeded        int            `json:"succeeded"`
	UnexpectedStatus map[string]int `json:"unexpectedStatus"`
	Failed           int            `json:"failed"`
	FirstError       string         `json:"firstError,omitempty"`
	AchievedRate     float64        `json:"achievedRate"`
	LatencyUs        []float64      `json:"latencyUs"`
	ServiceUs        []float64      `json:"serviceUs"`
	SendLagUs        []float64      `json:"sendLagUs"`
	GeneratorCPUMs   float64        `json:"generatorCpuMs"`
	Error            string         `json:"error,omitempty"`
}

// conn is one keep-alive connection: its socket, the request in flight (-1 when free) and what has
// arrived of its answer.
type conn struct {
	fd       int
	file     *os.File
	inFlight int
	sentAt   time.Duration
	buf      []byte
	n        int
}

func main() {
	debug.SetGCPercent(-1)
	runtime.LockOSThread()
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(out, "READY")
	out.Flush()
	for {
		line, err := in.ReadBytes('\n')
		if len(line) > 0 {
			var opts options
			var res result
			if jerr := json.Unmarshal(line, &opts); jerr != nil {
				res = result{Error: "bad options: " + jerr.Error()}
			} else if r, rerr := run(&opts); rerr != nil {
				res = result{Error: rerr.Error()}
			} else {
				res = r
			}
			encoded, _ := json.Marshal(res)
			out.Write(encoded)
			out.WriteByte('\n')
			out.Flush()
			runtime.GC()
		}
		if err != nil {
			return
		}
	}
}

func buildRequests(opts *options, host string) [][]byte {
	wire := make([][]byte, len(opts.Requests))
	for i, r := range opts.Requests {
		method := r.Method
		if method == "" {
			method = "GET"
		}
		b := []byte(method + " " + r.Path + " HTTP/1.1\r\nhost: " + host + "\r\nconnection: keep-alive\r\n")
		headers := map[string]string{}
		for k, v := range opts.Headers {
			headers[k] = v
		}
		for k, v := range r.Headers {
			headers[k] = v
		}
		for k, v := range headers {
			b = append(b, k+": "+v+"\r\n"...)
		}
		if r.Body != nil {
			b = append(b, "content-length: "+strconv.Itoa(len(*r.Body))+"\r\n\r\n"+*r.Body...)
		} else {
			b = append(b, "\r\n"...)
		}
		wire[i] = b
	}
	return wire
}

func dial(addr string) (*conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	tcp := c.(*net.TCPConn)
	tcp.SetNoDelay(true)
	f, err := tcp.File() // a dup of the socket, detached from Go's poller
	c.Close()
	if err != nil {
		return nil, err
	}
	fd := int(f.Fd())
	if err := syscall.SetNonblock(fd, true); err != nil {
		return nil, err
	}
	return &conn{fd: fd, file: f, inFlight: -1, buf: make([]byte, 256<<10)}, nil
}

// parse reports whether buf holds a whole answer, and its status and length.
func parse(buf []byte) (complete bool, status int, length int, err error) {
	end := -1
	for i := 3; i < len(buf); i++ {
		if buf[i] == '\n' && buf[i-1] == '\r' && buf[i-2] == '\n' && buf[i-3] == '\r' {
			end = i + 1
			break
		}
	}
	if end < 0 {
		return false, 0, 0, nil
	}
	if len(buf) < 12 || string(buf[:5]) != "HTTP/" {
		return false, 0, 0, errors.New("not an HTTP answer")
	}
	status, err = strconv.Atoi(string(buf[9:12]))
	if err != nil {
		return false, 0, 0, errors.New("bad status line")
	}
	contentLength := -1
	lineStart := 0
	for i := 0; i < end; i++ {
		if buf[i] != '\n' {
			continue
		}
		line := buf[lineStart:i]
		lineStart = i + 1
		if len(line) > 15 && equalFold(line[:15], "content-length:") {
			v := trim(line[15:])
			contentLength, err = strconv.Atoi(string(v))
			if err != nil {
				return false, 0, 0, errors.New("bad content-length")
			}
		} else if len(line) > 18 && equalFold(line[:18], "transfer-encoding:") {
			return false, 0, 0, errors.New("chunked answers are not supported")
		}
	}
	if contentLength < 0 {
		contentLength = 0
	}
	if len(buf) < end+contentLength {
		return false, status, 0, nil
	}
	return true, status, end + contentLength, nil
}

func equalFold(b []byte, s string) bool {
	for i := 0; i < len(s); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

func trim(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == '\r' || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	return b
}

func cpuMs() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
}

func run(opts *options) (result, error) {
	u, err := url.Parse(opts.URL)
	if err != nil || u.Scheme != "http" {
		return result{}, fmt.Errorf("only http:// origins are supported, got %q", opts.URL)
	}
	if len(opts.Requests) == 0 || opts.Rate <= 0 || opts.Connections <= 0 {
		return result{}, errors.New("requests, rate and connections must be given")
	}
	timeout := time.Duration(opts.TimeoutMs * float64(time.Millisecond))
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	expected := map[int]bool{}
	for _, s := range opts.ExpectStatus {
		expected[s] = true
	}
	wire := buildRequests(opts, u.Host)
	total := int(opts.Rate*opts.DurationS + 0.5)
	if total < 1 {
		total = 1
	}
	interval := float64(time.Second) / opts.Rate

	epfd, err := syscall.EpollCreate1(0)
	if err != nil {
		return result{}, err
	}
	defer syscall.Close(epfd)
	conns := make([]*conn, opts.Connections)
	for i := range conns {
		c, err := dial(u.Host)
		if err != nil {
			// as the Node generator does: every request of the run fails, with the reason
			return result{Scheduled: total, UnexpectedStatus: map[string]int{}, Failed: total,
				FirstError: fmt.Sprintf("connect %s: %v", u.Host, err), LatencyUs: []float64{},
				ServiceUs: []float64{}, SendLagUs: []float64{}}, nil
		}
		defer c.file.Close()
		conns[i] = c
		ev := syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(i)}
		if err := syscall.EpollCtl(epfd, syscall.EPOLL_CTL_ADD, c.fd, &ev); err != nil {
			return result{}, err
		}
	}

	latency := make([]float64, total)
	service := make([]float64, total)
	sendLag := make([]float64, total)
	ok := make([]bool, total)
	unexpected := map[string]int{}
	failed := 0
	firstError := ""
	queue := make([]int, 0, total)
	free := make([]int, 0, len(conns))
	events := make([]syscall.EpollEvent, len(conns))
	fail := func(e error) {
		failed++
		if firstError == "" {
			firstError = e.Error()
		}
	}

	// warm-up: every connection answers the cycle's first request once before the clock starts
	epoch := time.Now()
	clock := func() time.Duration { return time.Since(epoch) }
	for _, c := range conns {
		if _, err := syscall.Write(c.fd, wire[0]); err != nil {
			return result{}, fmt.Errorf("warm-up: %w", err)
		}
	}
	warm := 0
	deadline := clock() + timeout
	for warm < len(conns) {
		if clock() > deadline {
			return result{}, errors.New("warm-up: no answer in time")
		}
		n, _ := syscall.EpollWait(epfd, events, 10)
		for k := 0; k < n; k++ {
			c := conns[events[k].Fd]
			r, err := syscall.Read(c.fd, c.buf[c.n:])
			if r > 0 {
				c.n += r
			} else if err != syscall.EAGAIN {
				return result{}, fmt.Errorf("warm-up: connection closed: %v", err)
			}
			if done, _, length, perr := parse(c.buf[:c.n]); perr != nil {
				return result{}, fmt.Errorf("warm-up: %w", perr)
			} else if done {
				copy(c.buf, c.buf[length:c.n])
				c.n -= length
				warm++
			}
		}
	}
	for i := range conns {
		free = append(free, i)
	}

	cpuBefore := cpuMs()
	start := clock() + 5*time.Millisecond
	due := func(i int) time.Duration { return start + time.Duration(float64(i)*interval) }
	next, settled := 0, 0
	var lastDone time.Duration
	send := func(ci int, i int) {
		c := conns[ci]
		now := clock()
		c.inFlight = i
		c.sentAt = now
		b := wire[i%len(wire)]
		for len(b) > 0 {
			w, err := syscall.Write(c.fd, b)
			if err == syscall.EAGAIN {
				continue
			}
			if err != nil {
				fail(err)
				c.inFlight = -1
				settled++
				return
			}
			b = b[w:]
		}
	}
	for settled < total {
		now := clock()
		for next < total && due(next) <= now {
			sendLag[next] = float64(now-due(next)) / 1e3
			queue = append(queue, next)
			next++
		}
		for len(queue) > 0 && len(free) > 0 {
			ci := free[len(free)-1]
			free = free[:len(free)-1]
			i := queue[0]
			queue = queue[1:]
			send(ci, i)
			if conns[ci].inFlight < 0 {
				free = append(free, ci)
			}
		}
		wait := 0
		if next < total && len(free) == len(conns) && due(next)-clock() > 2*time.Millisecond {
			wait = 1 // nothing in flight and nothing due for a while: sleep 1 ms instead of spinning
		}
		n, err := syscall.EpollWait(epfd, events, wait)
		if err != nil && err != syscall.EINTR {
			return result{}, err
		}
		for k := 0; k < n; k++ {
			ci := int(events[k].Fd)
			c := conns[ci]
			for {
				if c.n == len(c.buf) {
					c.buf = append(c.buf, make([]byte, len(c.buf))...)
				}
				r, err := syscall.Read(c.fd, c.buf[c.n:])
				if r > 0 {
					c.n += r
					continue
				}
				if err == syscall.EAGAIN || err == syscall.EINTR {
					break
				}
				return result{}, fmt.Errorf("connection closed by the server: %v", err)
			}
			done, status, length, perr := parse(c.buf[:c.n])
			if perr != nil {
				return result{}, perr
			}
			if !done {
				continue
			}
			at := clock()
			i := c.inFlight
			copy(c.buf, c.buf[length:c.n])
			c.n -= length
			if i < 0 {
				return result{}, errors.New("an answer arrived on a connection with nothing in flight")
			}
			c.inFlight = -1
			settled++
			if at > lastDone {
				lastDone = at
			}
			if expected[status] {
				latency[i] = float64(at-due(i)) / 1e3
				service[i] = float64(at-c.sentAt) / 1e3
				ok[i] = true
			} else {
				unexpected[strconv.Itoa(status)]++
			}
			free = append(free, ci)
		}
		now = clock()
		for _, c := range conns {
			if c.inFlight >= 0 && now-c.sentAt > timeout {
				return result{}, fmt.Errorf("request %d had no full answer after %v", c.inFlight, timeout)
			}
		}
	}
	res := result{Scheduled: total, UnexpectedStatus: unexpected, Failed: failed, FirstError: firstError}
	res.GeneratorCPUMs = cpuMs() - cpuBefore
	for i := 0; i < total; i++ {
		if ok[i] {
			res.LatencyUs = append(res.LatencyUs, latency[i])
			res.ServiceUs = append(res.ServiceUs, service[i])
		}
	}
	res.Succeeded = len(res.LatencyUs)
	res.SendLagUs = sendLag
	if lastDone > start {
		res.AchievedRate = float64(res.Succeeded) / (float64(lastDone-start) / 1e9)
	}
	return res, nil
}
