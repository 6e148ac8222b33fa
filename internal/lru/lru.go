// Package lru is a small, concurrency-safe least-recently-used cache used to
// keep decoded git trees and summaries in memory with a bounded footprint:
// a bound on the number of entries and, for values whose sizes differ by
// orders of magnitude (a summary of a 1 MB register header against one of a
// 2 KB file), on their total weight.
package lru

import (
	"container/list"
	"sync"
)

// Cache maps keys to values, evicting the least recently used entry when it
// holds more than its capacity.
type Cache[K comparable, V any] struct {
	mu    sync.Mutex
	cap   int
	order *list.List // front = most recently used
	items map[K]*list.Element
	// weigh, when set, gives each value's weight; the cache keeps the
	// total at most maxWeight (always holding the newest entry).
	weigh     func(V) int64
	maxWeight int64
	weight    int64
}

type entry[K comparable, V any] struct {
	key    K
	val    V
	weight int64
}

// New returns a cache holding at most capacity entries (at least 1).
func New[K comparable, V any](capacity int) *Cache[K, V] {
	if capacity < 1 {
		capacity = 1
	}
	return &Cache[K, V]{cap: capacity, order: list.New(), items: make(map[K]*list.Element)}
}

// NewWeighted returns a cache holding at most capacity entries whose
// weights, as weigh tells them, sum to at most maxWeight.
func NewWeighted[K comparable, V any](capacity int, maxWeight int64, weigh func(V) int64) *Cache[K, V] {
	c := New[K, V](capacity)
	c.weigh, c.maxWeight = weigh, maxWeight
	return c
}

// Get returns the value for key and marks it recently used.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*entry[K, V]).val, true
	}
	var zero V
	return zero, false
}

// Add stores val under key, evicting the oldest entry when full.
func (c *Cache[K, V]) Add(key K, val V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var w int64
	if c.weigh != nil {
		w = c.weigh(val)
	}
	if el, ok := c.items[key]; ok {
		e := el.Value.(*entry[K, V])
		c.weight += w - e.weight
		e.val, e.weight = val, w
		c.order.MoveToFront(el)
	} else {
		c.items[key] = c.order.PushFront(&entry[K, V]{key, val, w})
		c.weight += w
	}
	for c.order.Len() > c.cap || c.weigh != nil && c.weight > c.maxWeight && c.order.Len() > 1 {
		old := c.order.Back()
		c.order.Remove(old)
		e := old.Value.(*entry[K, V])
		c.weight -= e.weight
		delete(c.items, e.key)
	}
}

// Weight is the total weight of the entries held (0 without a weigh
// function).
func (c *Cache[K, V]) Weight() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.weight
}

// Len is the number of entries held.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
