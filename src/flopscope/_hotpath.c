/* The compiled hot path of flopscope's fast ufunc body (flopscope._hotpath).
 *
 * ``_dispatch._ufunc_callable`` builds a pure-Python body for every one- and two-operand
 * ufunc row; that body is the reference and the fallback. Where this module is built (and
 * FLOPSCOPE_PURE_PYTHON is not set), the row's public callable is a ``HotUfunc`` wrapping
 * it. A HotUfunc runs the plain case itself and hands everything else, unchanged, to the
 * Python body:
 *
 *   - operands: exact counted or plain ndarrays of a countable dtype, Python floats/ints;
 *     ``out=``: one exact array whose shape is the first operand's (``a += b``);
 *   - the call's work and record key come from a small per-row cache keyed by the
 *     operands' shapes and the namespace; a miss asks the Python body's own ``signature``
 *     function (the one source of the cost rule), which may decline;
 *   - the charge fits the active budget's limit and deadline, and the calling thread owns
 *     the budget (no lock needed; any other case, dry runs included, is the Python
 *     body's: it is the one that refuses, raises, books a dry run, or takes the lock);
 *   - the matmul family declines when the operands may be one buffer (X.T @ X, priced
 *     as a symmetric product by the Python body).
 *
 * The charge, the refund on failure, the record (six little-endian int64s in the
 * budget's own buffer) and the deadline check after the call are the Python body's
 * lines, in the same order; the state read and written is the same slots of the same
 * objects (found by their member descriptors when the module is configured). No cost
 * rule lives here.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <string.h>
#include <limits.h>
#include <math.h>
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

#define MAX_DIMS 8
#define CACHE_SIZE 4

/* ------------------------------------------------------------------ configuration */
static PyObject *counted_type;   /* flopscope.numpy.ndarray */
static PyObject *active_var;     /* the ContextVar of the active scope */
static PyObject *weights;        /* dict: weight key -> weight */
static PyObject *wrap_fn;        /* _dispatch.wrap (non-ndarray results) */
static PyObject *late_fn;        /* _budget.late(budget, name, t) -> exception */
static PyObject *settings;       /* _config.SETTINGS */
static PyObject *scalar_base;    /* dict: counted scalar type -> NumPy's scalar type */
static PyObject *wrappers;       /* dict: result type -> its counted wrapper (_dispatch) */
static PyObject *fallback_scope_fn; /* _budget.fallback_scope: the scope with no ``with`` */
static PyObject *book_free_fn;   /* _budget.book_free(t0, t1, t2): the Python booking */
static PyTypeObject *totals_type; /* _records.Totals */
static Py_ssize_t off_calls, off_backend, off_overhead;
static PyTypeObject *budget_type, *records_type, *buffer_type;
static char bad_kinds[16];       /* dtype kinds that are not counted */
static int configured = 0;

/* slot offsets, from the classes' member descriptors */
static Py_ssize_t off_used, off_shared_used, off_limit, off_deadline, off_mult, off_records;
static Py_ssize_t off_owner, off_own;
static Py_ssize_t off_offset, off_capacity, off_data;
static Py_ssize_t off_fma;

#define SLOT(obj, off) (*(PyObject **)((char *)(obj) + (off)))

static inline long long
now_ns(void)
{
#if PY_VERSION_HEX >= 0x030D0000
    PyTime_t t;
    PyTime_PerfCounterRaw(&t);
    return (long long)t;
#else
    return (long long)_PyTime_GetPerfCounter();
#endif
}

static int
slot_offset(PyObject *cls, const char *name, Py_ssize_t *offset)
{
    PyObject *d = PyObject_GetAttrString(cls, name);
    if (d == NULL)
        return -1;
    if (!PyObject_TypeCheck(d, &PyMemberDescr_Type)) {
        PyErr_Format(PyExc_TypeError, "%s is not a slot", name);
        Py_DECREF(d);
        return -1;
    }
    PyMemberDef *m = ((PyMemberDescrObject *)d)->d_member;
    if (m->type != T_OBJECT_EX) {
        PyErr_Format(PyExc_TypeError, "%s is not an object slot", name);
        Py_DECREF(d);
        return -1;
    }
    *offset = m->offset;
    Py_DECREF(d);
    return 0;
}

static PyObject *
configure(PyObject *module, PyObject *args)
{
    PyObject *ctype, *var, *w, *wrap, *late, *sett, *budget_cls, *records_cls, *buffer_cls;
    PyObject *bases, *wraps, *fallback, *totals_cls, *book;
    const char *bad;
    if (!PyArg_ParseTuple(args, "OOO!OOOsOOOO!O!OO!O", &ctype, &var, &PyDict_Type, &w, &wrap, &late,
                          &sett, &bad, &budget_cls, &records_cls, &buffer_cls, &PyDict_Type,
                          &bases, &PyDict_Type, &wraps, &fallback, &PyType_Type, &totals_cls,
                          &book))
        return NULL;
    if (strlen(bad) >= sizeof(bad_kinds)) {
        PyErr_SetString(PyExc_ValueError, "too many dtype kinds");
        return NULL;
    }
    if (slot_offset(budget_cls, "_used", &off_used) || slot_offset(budget_cls, "_shared_used", &off_shared_used)
        || slot_offset(budget_cls, "_limit", &off_limit) || slot_offset(budget_cls, "_deadline", &off_deadline)
        || slot_offset(budget_cls, "_mult", &off_mult) || slot_offset(budget_cls, "_records", &off_records)
        || slot_offset(records_cls, "owner", &off_owner) || slot_offset(records_cls, "own", &off_own)
        || slot_offset(buffer_cls, "offset", &off_offset) || slot_offset(buffer_cls, "capacity", &off_capacity)
        || slot_offset(buffer_cls, "data", &off_data)
        || slot_offset((PyObject *)Py_TYPE(sett), "fma_cost", &off_fma)
        || slot_offset(totals_cls, "calls", &off_calls) || slot_offset(totals_cls, "backend_ns", &off_backend)
        || slot_offset(totals_cls, "overhead_ns", &off_overhead))
        return NULL;
    strcpy(bad_kinds, bad);
    Py_INCREF(ctype); Py_XSETREF(counted_type, ctype);
    Py_INCREF(var); Py_XSETREF(active_var, var);
    Py_INCREF(w); Py_XSETREF(weights, w);
    Py_INCREF(wrap); Py_XSETREF(wrap_fn, wrap);
    Py_INCREF(late); Py_XSETREF(late_fn, late);
    Py_INCREF(sett); Py_XSETREF(settings, sett);
    Py_INCREF(bases); Py_XSETREF(scalar_base, bases);
    Py_INCREF(wraps); Py_XSETREF(wrappers, wraps);
    Py_INCREF(fallback); Py_XSETREF(fallback_scope_fn, fallback);
    Py_INCREF(book); Py_XSETREF(book_free_fn, book);
    Py_INCREF(totals_cls); Py_XSETREF(totals_type, (PyTypeObject *)totals_cls);
    if (!PyType_Check(budget_cls) || !PyType_Check(records_cls) || !PyType_Check(buffer_cls)) {
        PyErr_SetString(PyExc_TypeError, "expected the budget, records and buffer classes");
        return NULL;
    }
    Py_INCREF(budget_cls); Py_XSETREF(budget_type, (PyTypeObject *)budget_cls);
    Py_INCREF(records_cls); Py_XSETREF(records_type, (PyTypeObject *)records_cls);
    Py_INCREF(buffer_cls); Py_XSETREF(buffer_type, (PyTypeObject *)buffer_cls);
    configured = 1;
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------ the HotUfunc type */
typedef struct {
    int valid;
    int nda, ndb;            /* ndb == -1: no second operand */
    long long ns;
    npy_intp da[MAX_DIMS], db[MAX_DIMS];
    long long work;          /* analytical work (contractions: before fma_cost) */
    PyObject *key;           /* the record key (an int) */
} Entry;

enum {
    MODE_CALL = 0,     /* a ufunc or generic row called */
    MODE_REFLECTED = 1, /* a ufunc's __rop__ */
    MODE_IN_PLACE = 2, /* a ufunc's __iop__ */
    MODE_FREE = 3,     /* a free function row */
    MODE_METHOD = 4,   /* a timed ndarray method (copy, astype, ...) */
    MODE_GETITEM = 5,  /* counted[key] */
    MODE_PROBE = 6,    /* internal: answers its frame address (see calibrate_stack) */
};

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyObject *dict;
    PyObject *fallback;      /* the Python body */
    PyObject *impl;          /* the ufunc, or the generic row's NumPy callable */
    PyObject *rule;          /* the generic row's cost rule (None for ufuncs) */
    PyObject *name;          /* the row's name: its weight key */
    PyObject *signature;     /* (sa, sb, ns) -> (work, key) or None */
    int unary;
    int mode;
    int contraction;         /* work in FMAs (ufuncs: the matmul family, one-buffer check) */
    int generic;             /* the generic body (else the ufunc body) */
    int next;
    Py_ssize_t declined;     /* calls handed to the Python body (read by the tests) */
    Entry cache[CACHE_SIZE];
} HotUfunc;

static PyObject *out_kwnames;  /* ("out",) */

static inline int
same_dims(int n, const npy_intp *a, const npy_intp *b)
{
    for (int i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* A counted array's plain ndarray (a new reference). Its base, when that is a plain
 * ndarray of the same memory, dtype, layout and writeability (the result a call wrapped,
 * or the array ``fnp.asarray`` viewed): NumPy then sees what a new view would show it,
 * and no object is made. Otherwise a new plain view. */
static inline PyObject *
plain_array(PyArrayObject *a)
{
    PyObject *base = PyArray_BASE(a);
    if (base != NULL && Py_TYPE(base) == &PyArray_Type) {
        PyArrayObject *b = (PyArrayObject *)base;
        int nd = PyArray_NDIM(a);
        if (PyArray_DATA(b) == PyArray_DATA(a) && PyArray_NDIM(b) == nd
            && PyArray_DESCR(b) == PyArray_DESCR(a)
            && ((PyArray_FLAGS(a) ^ PyArray_FLAGS(b)) & NPY_ARRAY_WRITEABLE) == 0
            && same_dims(nd, PyArray_DIMS(a), PyArray_DIMS(b))
            && same_dims(nd, PyArray_STRIDES(a), PyArray_STRIDES(b))) {
            Py_INCREF(base);
            return base;
        }
    }
    return PyArray_View(a, NULL, &PyArray_Type);
}

/* An operand: its plain array (new reference) and shape, or a Python number. Returns 1
 * when usable, 0 when the Python body must take the call. */
static inline int
operand(PyObject *x, PyObject **plain, int *nd, npy_intp **dims)
{
    PyTypeObject *t = Py_TYPE(x);
    if (t == &PyArray_Type || (PyObject *)t == counted_type) {
        PyArrayObject *a = (PyArrayObject *)x;
        char kind = PyArray_DESCR(a)->kind;
        if (strchr(bad_kinds, kind) != NULL || PyArray_NDIM(a) > MAX_DIMS)
            return 0;
        if (t == &PyArray_Type) {
            Py_INCREF(x);
            *plain = x;
        }
        else {
            *plain = plain_array(a);
            if (*plain == NULL) {
                PyErr_Clear();
                return 0;
            }
        }
        *nd = PyArray_NDIM(a);
        *dims = PyArray_DIMS(a);
        return 1;
    }
    if (t == &PyFloat_Type || t == &PyLong_Type) {
        Py_INCREF(x);
        *plain = x;
        *nd = 0;
        *dims = NULL;
        return 1;
    }
    PyObject *base = PyDict_GetItemWithError(scalar_base, (PyObject *)t);
    if (base != NULL) { /* a counted scalar (``fnp.sum(x) / n``): NumPy's scalar of it */
        *plain = PyObject_CallOneArg(base, x);
        if (*plain == NULL) {
            PyErr_Clear();
            return 0;
        }
        *nd = 0;
        *dims = NULL;
        return 1;
    }
    PyErr_Clear();
    return 0;
}

static PyObject *
shape_tuple(int nd, const npy_intp *dims)
{
    PyObject *t = PyTuple_New(nd);
    if (t == NULL)
        return NULL;
    for (int i = 0; i < nd; i++) {
        PyObject *v = PyLong_FromSsize_t(dims[i]);
        if (v == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, i, v);
    }
    return t;
}

/* The cached (work, key) of these shapes in this namespace; NULL entry: decline. */
static Entry *
lookup(HotUfunc *self, int nda, const npy_intp *da, int ndb, const npy_intp *db, long long ns,
       PyObject *ns_obj)
{
    for (int i = 0; i < CACHE_SIZE; i++) {
        Entry *e = &self->cache[i];
        if (e->valid && e->ns == ns && e->nda == nda && e->ndb == ndb && same_dims(nda, da, e->da)
            && (ndb < 0 || same_dims(ndb, db, e->db)))
            return e;
    }
    /* a miss: the Python body's signature function prices these shapes */
    PyObject *sa = shape_tuple(nda, da);
    if (sa == NULL)
        return NULL;
    PyObject *sb;
    if (ndb < 0) {
        sb = Py_None;
        Py_INCREF(sb);
    }
    else
        sb = shape_tuple(ndb, db);
    if (sb == NULL) {
        Py_DECREF(sa);
        return NULL;
    }
    PyObject *r = PyObject_CallFunctionObjArgs(self->signature, sa, sb, ns_obj, NULL);
    Py_DECREF(sa);
    Py_DECREF(sb);
    if (r == NULL || r == Py_None || !PyTuple_Check(r) || PyTuple_GET_SIZE(r) != 2) {
        Py_XDECREF(r);
        return NULL;
    }
    int overflow;
    long long work = PyLong_AsLongLongAndOverflow(PyTuple_GET_ITEM(r, 0), &overflow);
    if (overflow || (work == -1 && PyErr_Occurred()) || work < 0
        || work > (1LL << 52)) {
        Py_DECREF(r);
        return NULL;
    }
    Entry *e = &self->cache[self->next];
    self->next = (self->next + 1) % CACHE_SIZE;
    Py_XDECREF(e->key);
    e->key = PyTuple_GET_ITEM(r, 1);
    Py_INCREF(e->key);
    Py_DECREF(r);
    e->valid = 1;
    e->ns = ns;
    e->nda = nda;
    e->ndb = ndb;
    if (nda > 0)
        memcpy(e->da, da, nda * sizeof(npy_intp));
    if (ndb > 0)
        memcpy(e->db, db, ndb * sizeof(npy_intp));
    e->work = work;
    return e;
}

static inline int
as_ll(PyObject *v, long long *out)
{
    if (!PyLong_CheckExact(v))
        return 0;
    int overflow;
    *out = PyLong_AsLongLongAndOverflow(v, &overflow);
    return !overflow && !(*out == -1 && PyErr_Occurred());
}

static inline int
set_ll(PyObject *obj, Py_ssize_t off, long long v)
{
    PyObject *n = PyLong_FromLongLong(v);
    if (n == NULL)
        return -1;
    Py_SETREF(SLOT(obj, off), n);
    return 0;
}

/* The active budget when the calling thread owns it (the only case run here): the scope
 * (a new reference), its budget, records and namespace id. 0: the Python body's case. */
static inline int
owned_scope(PyObject **scope, PyObject **budget, PyObject **records, long long *ns)
{
    if (PyContextVar_Get(active_var, NULL, scope) < 0)
        return 0;
    if (*scope == NULL || *scope == Py_None) { /* no ``with`` block: the default budget's */
        Py_XDECREF(*scope);
        *scope = PyObject_CallNoArgs(fallback_scope_fn);
        if (*scope == NULL)
            return 0;
    }
    if (!PyTuple_CheckExact(*scope) || PyTuple_GET_SIZE(*scope) < 2)
        return 0;
    *budget = PyTuple_GET_ITEM(*scope, 0);
    if (!as_ll(PyTuple_GET_ITEM(*scope, 1), ns) || !PyObject_TypeCheck(*budget, budget_type))
        return 0;
    *records = SLOT(*budget, off_records);
    if (*records == NULL || !PyObject_TypeCheck(*records, records_type))
        return 0;
    PyObject *owner = SLOT(*records, off_owner);
    long long owner_id;
    return owner != NULL && as_ll(owner, &owner_id)
           && (unsigned long long)owner_id == (unsigned long long)PyThread_get_thread_ident();
}

/* Price ``work`` (times fma_cost where the row counts fused multiply-adds, then weight *
 * multiplier, as _budget.scaled_cost) and reserve it, as _budget.charge does for the
 * owner thread. 1: charged; 0: the Python body's case (refused, late, a dry run, or
 * numbers beyond int64); -1: an error. */
static inline int
charge(HotUfunc *self, PyObject *budget, long long work, long long t0, long long *cost,
       long long *deadline)
{
    if (self->contraction) {
        long long fma;
        if (!as_ll(SLOT(settings, off_fma), &fma) || fma < 1 || fma > 2)
            return 0;
        work *= fma;
    }
    double factor = 1.0;
    PyObject *w = PyDict_GetItemWithError(weights, self->name);
    if (w != NULL) {
        if (PyFloat_CheckExact(w))
            factor = PyFloat_AS_DOUBLE(w);
        else if (PyLong_CheckExact(w))
            factor = PyLong_AsDouble(w);
        else
            return 0;
    }
    else if (PyErr_Occurred())
        return 0;
    PyObject *mult = SLOT(budget, off_mult);
    if (mult == NULL || !PyFloat_CheckExact(mult))
        return 0;
    factor *= PyFloat_AS_DOUBLE(mult);
    if (factor == 1.0)
        *cost = work;
    else {
        double c = (double)work * factor;
        if (!(c >= 0.0 && c < 4503599627370496.0)) /* 2**52: exact in a double */
            return 0;
        *cost = (long long)(factor == floor(factor) ? c : nearbyint(c));
    }
    long long used, shared, limit;
    PyObject *limit_obj = SLOT(budget, off_limit);
    int overflow = 0;
    if (limit_obj == NULL || !PyLong_CheckExact(limit_obj))
        return 0;
    limit = PyLong_AsLongLongAndOverflow(limit_obj, &overflow);
    if (overflow > 0)
        limit = LLONG_MAX; /* a budget beyond int64: no charge made here reaches it */
    else if (overflow < 0 || (limit == -1 && PyErr_Occurred()))
        return 0;
    if (!as_ll(SLOT(budget, off_used), &used) || !as_ll(SLOT(budget, off_shared_used), &shared)
        || !as_ll(SLOT(budget, off_deadline), deadline) || used > (1LL << 61)
        || shared > (1LL << 61))
        return 0;
    used += *cost;
    if (used + shared > limit || t0 > *deadline) /* refused, late, or a dry run */
        return 0;
    return set_ll(budget, off_used, used) < 0 ? -1 : 1;
}

/* Give back a reservation whose operation failed, as _budget.refund (owner thread). */
static void
refund(PyObject *budget, long long cost)
{
    PyObject *exc_type, *exc_value, *exc_tb;
    PyErr_Fetch(&exc_type, &exc_value, &exc_tb);
    long long used;
    if (as_ll(SLOT(budget, off_used), &used))
        set_ll(budget, off_used, used - cost);
    PyErr_Restore(exc_type, exc_value, exc_tb);
}

/* A NumPy result in the counted types, as _dispatch.wrap gives it (new reference). */
static inline PyObject *
counted_result(PyObject *r)
{
    PyObject *result, *wrapper;
    if (Py_TYPE(r) == &PyArray_Type)
        result = PyArray_View((PyArrayObject *)r, NULL, (PyTypeObject *)counted_type);
    else if ((wrapper = PyDict_GetItemWithError(wrappers, (PyObject *)Py_TYPE(r))) != NULL)
        result = PyObject_CallOneArg(wrapper, r); /* a NumPy scalar: its counted type */
    else if (PyErr_Occurred())
        result = NULL;
    else
        result = PyObject_CallOneArg(wrap_fn, r);
    Py_DECREF(r);
    return result;
}

/* Write the record, as _budget.record does for the owner thread, then the deadline
 * check after the call. 0 or -1 (an error set). */
static int
finish(HotUfunc *self, PyObject *budget, PyObject *records, PyObject *key, long long cost,
       long long t0, long long t1, long long t2, long long deadline)
{
    long long t3 = now_ns();
    PyObject *buf = SLOT(records, off_own);
    long long offset, capacity, fields[6];
    PyObject *data = buf == NULL || !PyObject_TypeCheck(buf, buffer_type) ? NULL : SLOT(buf, off_data);
    if (data != NULL && PyByteArray_CheckExact(data) && as_ll(SLOT(buf, off_offset), &offset)
        && as_ll(SLOT(buf, off_capacity), &capacity) && offset >= 0 && offset < capacity
        && offset + (long long)sizeof(fields) <= PyByteArray_GET_SIZE(data) && as_ll(key, &fields[0])) {
        fields[1] = cost;
        fields[2] = t0;
        fields[3] = t1;
        fields[4] = t2;
        fields[5] = t3;
        memcpy(PyByteArray_AS_STRING(data) + offset, fields, sizeof(fields));
        if (set_ll(buf, off_offset, offset + (long long)sizeof(fields)) < 0)
            return -1;
    }
    else { /* a buffer to roll over: the records' own method */
        PyErr_Clear();
        PyObject *rr = PyObject_CallMethod(records, "add_own", "OLLLLL", key, cost, t0, t1, t2, t3);
        if (rr == NULL)
            return -1;
        Py_DECREF(rr);
    }
    if (t3 > deadline) {
        PyObject *exc = PyObject_CallFunction(late_fn, "OOL", budget, self->name, t3);
        if (exc != NULL) {
            PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
            Py_DECREF(exc);
        }
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ NumPy's stack position
 * A NumPy kernel's speed can depend on where the C stack sits, modulo 4 KiB, relative
 * to the arrays it streams (the kernel's stack traffic and its loads and stores alias in
 * the low 12 address bits). Measured: np.exp of 1e6 float64 into a buffer runs about 5%
 * slower for about a quarter of the stack positions, which ones varying by process. Every
 * call from Python code enters NumPy at one stack position, the interpreter's call site,
 * where a counted call would enter it deeper, so some processes would see a counted
 * call run NumPy slower than NumPy runs itself. So the counted call enters NumPy at the
 * interpreter's position modulo 4 KiB: ``entry`` is the body's frame address as the
 * interpreter called it, and the stack is moved down by what lands NumPy's function
 * where the body landed. The distance from the block ``alloca`` hands out to where the
 * callee's frame begins is the compiler's: :func:`calibrate_stack` measures it. */
static int stack_calibrated = 0;
static long stack_adjust = 0; /* what lands a callee's frame at ``entry`` (calibrate_stack) */

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__aarch64__))
static __attribute__((noinline)) PyObject *
call_numpy(const char *entry, PyObject *impl, PyObject *const *args, Py_ssize_t nargs,
           PyObject *kwnames)
{
    vectorcallfunc call = PyVectorcall_Function(impl);
    if (call == NULL || entry == NULL || !stack_calibrated)
        return PyObject_Vectorcall(impl, args, nargs, kwnames);
    char *here = __builtin_alloca(16); /* (near the stack pointer: its distance is calibrated) */
    size_t pad = (size_t)(here - (entry + stack_adjust)) & 4095;
    if (pad) {
        volatile char *moved = __builtin_alloca(pad);
        moved[0] = 0; /* (kept: the block is what moves the stack) */
    }
    PyObject *r = call(impl, args, (size_t)nargs, kwnames);
    /* as the interpreter checks what a vectorcall returns */
    if (r == NULL && !PyErr_Occurred())
        PyErr_Format(PyExc_SystemError, "%R returned NULL without setting an exception", impl);
    else if (r != NULL && PyErr_Occurred()) {
        Py_DECREF(r);
        r = NULL;
    }
    return r;
}
#define FRAME_ADDRESS() ((const char *)__builtin_frame_address(0))
#else
static inline PyObject *
call_numpy(const char *entry, PyObject *impl, PyObject *const *args, Py_ssize_t nargs,
           PyObject *kwnames)
{
    (void)entry;
    return PyObject_Vectorcall(impl, args, nargs, kwnames);
}
#define FRAME_ADDRESS() ((const char *)NULL)
#endif

static PyTypeObject HotUfuncType;
static PyObject *hot_vectorcall(PyObject *, PyObject *const *, size_t, PyObject *);

/* Measure ``stack_adjust``: a probe (a body that answers its frame address) called
 * through call_numpy as NumPy is, uncalibrated. Where it lands, against where it was
 * meant to, is the adjustment. A figure beyond a few hundred bytes means the build does
 * not lay out frames as assumed: NumPy is then called plainly. */
static void
calibrate_stack(void)
{
    HotUfunc *probe = (HotUfunc *)HotUfuncType.tp_alloc(&HotUfuncType, 0);
    if (probe == NULL) {
        PyErr_Clear();
        return;
    }
    probe->vectorcall = hot_vectorcall;
    probe->mode = MODE_PROBE;
    const char *meant = FRAME_ADDRESS();
    stack_adjust = 0;
    stack_calibrated = meant != NULL;
    PyObject *got = stack_calibrated ? call_numpy(meant, (PyObject *)probe, NULL, 0, NULL) : NULL;
    stack_calibrated = 0;
    Py_DECREF(probe);
    if (got == NULL) {
        PyErr_Clear();
        return;
    }
    const char *landed = PyLong_AsVoidPtr(got);
    Py_DECREF(got);
    long off = (long)((size_t)(meant - landed) & 4095);
    if (off >= 2048)
        off -= 4096;
    if (landed != NULL && off > -512 && off < 512) {
        stack_adjust = off;
        stack_calibrated = 1;
    }
}

/* The call's second half: charge ``work`` on the budget under the record key of ``e``,
 * run NumPy (``args``: positional then keyword values), give the result the counted
 * types (or hand back the caller's ``out``), record. The result (a new reference); or
 * NULL with an error set (the charge refunded if NumPy raised); or NULL with
 * ``*declined`` set and no error: the Python body takes the call, nothing charged. */
static PyObject *
charged_call(HotUfunc *self, PyObject *budget, PyObject *records, Entry *e, long long work,
             long long t0, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
             PyObject *out, int *declined, const char *entry)
{
    long long cost, deadline;
    PyObject *key = e->key, *result = NULL;
    Py_INCREF(key); /* (the entry may be replaced while NumPy runs) */
    int status = charge(self, budget, work, t0, &cost, &deadline);
    if (status <= 0) {
        *declined = status == 0;
        Py_DECREF(key);
        return NULL;
    }
    long long t1 = now_ns();
    PyObject *r = call_numpy(entry, self->impl, args, nargs, kwnames);
    if (r == NULL) {
        refund(budget, cost);
        Py_DECREF(key);
        return NULL;
    }
    long long t2 = now_ns();
    if (out != NULL) {
        Py_DECREF(r);
        Py_INCREF(out);
        result = out; /* the caller's own object (``a += b`` returns a) */
    }
    else
        result = counted_result(r);
    if (result != NULL && finish(self, budget, records, key, cost, t0, t1, t2, deadline) < 0)
        Py_CLEAR(result);
    Py_DECREF(key);
    return result;
}

/* How a body ends: its result; or NULL with the error raised; or, ``declined``, NULL
 * with no error set (whatever a declined step raised is cleared): the Python body
 * takes the call. */
static inline PyObject *
ended(PyObject *result, int declined)
{
    if (declined)
        PyErr_Clear();
    else if (result == NULL && !PyErr_Occurred())
        PyErr_SetString(PyExc_SystemError, "flopscope's hot path failed without an error");
    return result;
}

/* The ufunc body's plain case, or NULL with no error set: the Python body takes it. */
static PyObject *
ufunc_call(HotUfunc *self, PyObject *x1, PyObject *x2, PyObject *out, const char *entry)
{
    long long t0 = now_ns();
    PyObject *a = NULL, *b = NULL, *po = NULL, *scope = NULL, *budget, *records;
    PyObject *result = NULL;
    int nda, ndb = -1, declined = 0;
    npy_intp *da, *db = NULL;
    long long ns;

    if (!configured)
        return NULL;
    if (out != NULL) {
        PyTypeObject *to = Py_TYPE(out);
        if (self->contraction || (to != &PyArray_Type && (PyObject *)to != counted_type))
            return NULL;
    }
    if (!operand(x1, &a, &nda, &da))
        return NULL;
    if (!self->unary && !operand(x2, &b, &ndb, &db))
        goto decline;
    if (out != NULL) {
        PyArrayObject *o = (PyArrayObject *)out;
        /* out's shape is the first operand's: the work is the call's without out */
        if (PyArray_NDIM(o) != nda || (nda && !same_dims(nda, PyArray_DIMS(o), da))
            || strchr(bad_kinds, PyArray_DESCR(o)->kind) != NULL)
            goto decline;
        if (Py_TYPE(out) == &PyArray_Type) {
            Py_INCREF(out);
            po = out;
        }
        else if ((po = plain_array(o)) == NULL)
            goto decline;
    }
    if (self->contraction && nda > 1 && ndb == nda && da[nda - 2] == db[ndb - 1]
        && PyArray_STRIDES((PyArrayObject *)x1)[nda - 1] == PyArray_STRIDES((PyArrayObject *)x2)[ndb - 2])
        goto decline; /* may be one buffer (X.T @ X): the Python body's check */
    if (!owned_scope(&scope, &budget, &records, &ns))
        goto decline;
    Entry *e = lookup(self, nda, da, ndb, db, ns, PyTuple_GET_ITEM(scope, 1));
    if (e == NULL)
        goto decline;
    PyObject *args[3] = {a, self->unary ? po : b, po};
    result = charged_call(self, budget, records, e, e->work, t0, args, self->unary ? 1 : 2,
                          out == NULL ? NULL : out_kwnames, out, &declined, entry);
    goto done;
decline:
    declined = 1;
done:
    Py_XDECREF(scope);
    Py_XDECREF(a);
    Py_XDECREF(b);
    Py_XDECREF(po);
    return ended(result, declined);
}

/* A value passed through to the rule and to NumPy as it is (plain() leaves it alone). */
static inline int
simple_value(PyObject *v)
{
    PyTypeObject *t = Py_TYPE(v);
    if (v == Py_None || t == &PyLong_Type || t == &PyBool_Type || t == &PyFloat_Type
        || t == &PyUnicode_Type || PyType_Check(v) || PyArray_DescrCheck(v))
        return 1; /* (types and dtypes: ``dtype=np.float32``) */
    if (t == &PyTuple_Type) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(v); i++)
            if (Py_TYPE(PyTuple_GET_ITEM(v, i)) != &PyLong_Type)
                return 0;
        return 1;
    }
    return 0;
}

#define MAX_ARGS 8

/* The generic body's plain case: arrays (at most two) and simple values, keywords with
 * simple values and no ``out``. NULL with no error set: the Python body takes it. */
static PyObject *
generic_call(HotUfunc *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
             const char *entry)
{
    long long t0 = now_ns();
    Py_ssize_t nkw = kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames);
    PyObject *pargs[MAX_ARGS];
    PyObject *scope = NULL, *budget, *records, *rule_args = NULL, *rule_kwargs = NULL;
    PyObject *result = NULL, *w;
    int narrays = 0, nd[2] = {0, -1}, declined = 0;
    npy_intp *dims[2] = {NULL, NULL};
    long long ns, work;
    Py_ssize_t i, filled = 0;

    if (!configured || nargs < 1 || nargs + nkw > MAX_ARGS)
        return NULL;
    for (i = 0; i < nargs; i++, filled++) {
        PyObject *x = args[i];
        PyTypeObject *t = Py_TYPE(x);
        if (t == &PyArray_Type || (PyObject *)t == counted_type) {
            int n;
            npy_intp *d;
            if (narrays == 2 || !operand(x, &pargs[i], &n, &d))
                goto decline;
            nd[narrays] = n;
            dims[narrays++] = d;
        }
        else if (simple_value(x)) {
            Py_INCREF(x);
            pargs[i] = x;
        }
        else
            goto decline;
    }
    if (narrays == 0)
        goto decline;
    for (i = 0; i < nkw; i++) {
        PyObject *k = PyTuple_GET_ITEM(kwnames, i);
        if (!simple_value(args[nargs + i]) || PyUnicode_CompareWithASCIIString(k, "out") == 0)
            goto decline;
        pargs[nargs + i] = args[nargs + i]; /* borrowed: the caller holds them */
    }
    if (!owned_scope(&scope, &budget, &records, &ns))
        goto decline;

    /* the work: the row's own rule, on the same plain arguments as the Python body's */
    rule_args = PyTuple_New(nargs);
    rule_kwargs = PyDict_New();
    if (rule_args == NULL || rule_kwargs == NULL)
        goto decline;
    for (i = 0; i < nargs; i++) {
        Py_INCREF(pargs[i]);
        PyTuple_SET_ITEM(rule_args, i, pargs[i]);
    }
    for (i = 0; i < nkw; i++)
        if (PyDict_SetItem(rule_kwargs, PyTuple_GET_ITEM(kwnames, i), args[nargs + i]) < 0)
            goto decline;
    PyObject *call[2] = {rule_args, rule_kwargs};
    w = PyObject_Vectorcall(self->rule, call, 2, NULL);
    if (w == NULL || !as_ll(w, &work) || work < 0 || work > (1LL << 52)) {
        Py_XDECREF(w);
        goto decline; /* a bad argument: the Python body raises its error */
    }
    Py_DECREF(w);
    Entry *e = lookup(self, nd[0], dims[0], nd[1], dims[1], ns, PyTuple_GET_ITEM(scope, 1));
    if (e == NULL)
        goto decline;
    result = charged_call(self, budget, records, e, work, t0, pargs, nargs, kwnames, NULL,
                          &declined, entry);
    goto done;
decline:
    declined = 1;
done:
    Py_XDECREF(scope);
    Py_XDECREF(rule_args);
    Py_XDECREF(rule_kwargs);
    for (i = 0; i < filled; i++)
        Py_DECREF(pargs[i]);
    return ended(result, declined);
}

/* ------------------------------------------------------------------ free calls */
/* A free call's time, booked in the scope's accumulator of free-call time, as the
 * Python bodies do: ``calls + 1``, NumPy's time as backend, the rest (from ``t0``) as
 * overhead. 0, or -1 with an error set. */
static int
book_free(PyObject *totals, long long t0, long long t1, long long t2)
{
    long long calls, backend, overhead, t3 = now_ns();
    if (!as_ll(SLOT(totals, off_calls), &calls) || !as_ll(SLOT(totals, off_backend), &backend)
        || !as_ll(SLOT(totals, off_overhead), &overhead)) {
        PyErr_SetString(PyExc_TypeError, "flopscope: a free-call accumulator beyond int64");
        return -1;
    }
    if (set_ll(totals, off_calls, calls + 1) < 0 || set_ll(totals, off_backend, backend + (t2 - t1)) < 0
        || set_ll(totals, off_overhead, overhead + (t3 - t0) - (t2 - t1)) < 0)
        return -1;
    return 0;
}

/* The scope's accumulator of free-call time (a new reference to the scope in
 * ``*scope``); NULL, no error set: the Python body's case. */
static inline PyObject *
free_totals(PyObject **scope, int real_budget_only)
{
    if (PyContextVar_Get(active_var, NULL, scope) < 0)
        return NULL;
    if (*scope == NULL || *scope == Py_None) {
        Py_XDECREF(*scope);
        if ((*scope = PyObject_CallNoArgs(fallback_scope_fn)) == NULL)
            return NULL;
    }
    if (!PyTuple_CheckExact(*scope) || PyTuple_GET_SIZE(*scope) < 3)
        return NULL;
    /* a dry run's free calls (creation without memory) are the Python body's */
    if (real_budget_only && Py_TYPE(PyTuple_GET_ITEM(*scope, 0)) != budget_type)
        return NULL;
    PyObject *totals = PyTuple_GET_ITEM(*scope, 2);
    return Py_TYPE(totals) == totals_type ? totals : NULL;
}

/* A plain argument for a free function: counted arrays as plain views, plain arrays and
 * simple values as they are, a list or tuple of those one level in (``concatenate([a,
 * b])``), as _dispatch.plain makes them. New reference; NULL, no error set: not plain. */
static PyObject *
plain_argument(PyObject *x)
{
    PyTypeObject *t = Py_TYPE(x);
    if ((PyObject *)t == counted_type)
        return plain_array((PyArrayObject *)x);
    if (t == &PyArray_Type || simple_value(x)) {
        Py_INCREF(x);
        return x;
    }
    if (t == &PyList_Type || t == &PyTuple_Type) {
        Py_ssize_t n = PySequence_Fast_GET_SIZE(x);
        PyObject *items = t == &PyList_Type ? PyList_New(n) : PyTuple_New(n);
        if (items == NULL)
            return NULL;
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *e = PySequence_Fast_GET_ITEM(x, i), *p;
            PyTypeObject *te = Py_TYPE(e);
            if ((PyObject *)te == counted_type)
                p = plain_array((PyArrayObject *)e);
            else if (te == &PyArray_Type || te == &PyFloat_Type || te == &PyLong_Type) {
                Py_INCREF(e);
                p = e;
            }
            else
                p = NULL;
            if (p == NULL) {
                Py_DECREF(items);
                return NULL;
            }
            if (t == &PyList_Type)
                PyList_SET_ITEM(items, i, p);
            else
                PyTuple_SET_ITEM(items, i, p);
        }
        return items;
    }
    return NULL;
}

/* The free function body's plain case (``_dispatch._free_callable``). */
static PyObject *
free_call(HotUfunc *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    long long t0 = now_ns();
    Py_ssize_t nkw = kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames), i, filled = 0;
    PyObject *pargs[MAX_ARGS], *scope = NULL, *totals, *r, *result = NULL;
    int declined = 0;

    if (!configured || nargs + nkw > MAX_ARGS)
        return NULL;
    for (i = 0; i < nargs; i++, filled++)
        if ((pargs[i] = plain_argument(args[i])) == NULL)
            goto decline;
    for (i = 0; i < nkw; i++) {
        if (!simple_value(args[nargs + i])
            || PyUnicode_CompareWithASCIIString(PyTuple_GET_ITEM(kwnames, i), "out") == 0)
            goto decline;
        pargs[nargs + i] = args[nargs + i]; /* borrowed: the caller holds them */
    }
    if ((totals = free_totals(&scope, 1)) == NULL)
        goto decline;
    long long t1 = now_ns();
    r = PyObject_Vectorcall(self->impl, pargs, nargs, kwnames);
    long long t2 = now_ns();
    if (r == NULL)
        goto done;
    if (nargs && r == pargs[0] && (PyObject *)Py_TYPE(args[0]) == counted_type) {
        Py_DECREF(r); /* asarray(a) is a, as in NumPy, when a already qualifies */
        Py_INCREF(args[0]);
        result = args[0];
    }
    else if ((result = counted_result(r)) == NULL)
        goto done;
    if (book_free(totals, t0, t1, t2) < 0)
        Py_CLEAR(result);
    goto done;
decline:
    declined = 1;
done:
    Py_XDECREF(scope);
    for (i = 0; i < filled; i++)
        Py_DECREF(pargs[i]);
    return ended(result, declined);
}

/* A timed ndarray method (``_array_protocol._timed_method``) or copying indexing
 * (``_getitem``): ``impl(self, ...)`` as it is, a NumPy scalar result in its counted
 * type, the time booked from the call on. */
static PyObject *
timed_method_call(HotUfunc *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *scope = NULL, *totals, *r, *result = NULL, *wrapper;
    long long t1 = now_ns();
    r = PyObject_Vectorcall(self->impl, args, nargs, kwnames);
    long long t2 = now_ns();
    if (r == NULL)
        return NULL;
    if ((PyObject *)Py_TYPE(r) != counted_type
        && (wrapper = PyDict_GetItemWithError(wrappers, (PyObject *)Py_TYPE(r))) != NULL) {
        result = PyObject_CallOneArg(wrapper, r);
        Py_DECREF(r);
    }
    else if (PyErr_Occurred()) {
        Py_DECREF(r);
        return NULL;
    }
    else
        result = r;
    if (result == NULL)
        return NULL;
    if ((totals = free_totals(&scope, 0)) == NULL) { /* an unusual scope: Python's booking */
        Py_XDECREF(scope);
        if (PyErr_Occurred()) {
            Py_DECREF(result);
            return NULL;
        }
        PyObject *booked = PyObject_CallFunction(book_free_fn, "LLLL", t1, t1, t2, now_ns());
        if (booked == NULL) {
            Py_DECREF(result);
            return NULL;
        }
        Py_DECREF(booked);
        return result;
    }
    if (book_free(totals, t1, t1, t2) < 0)
        Py_CLEAR(result);
    Py_DECREF(scope);
    return result;
}

/* Whether ``key`` is basic indexing that ``_getitem`` leaves untimed (ints, slices, a
 * tuple of ints, slices, None and Ellipsis); -1: another kind the Python body decides. */
static inline int
basic_key(PyObject *key)
{
    PyTypeObject *t = Py_TYPE(key);
    if (t == &PyLong_Type || t == &PySlice_Type)
        return 1;
    if (t == &PyArray_Type)
        return 0;
    if (t == &PyTuple_Type) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(key); i++) {
            PyObject *k = PyTuple_GET_ITEM(key, i);
            PyTypeObject *tk = Py_TYPE(k);
            if (!(tk == &PyLong_Type || tk == &PySlice_Type || k == Py_None || k == Py_Ellipsis))
                return -1;
        }
        return 1;
    }
    return -1;
}

/* ``counted[key]``: basic indexing untimed, an index array timed (``_getitem``). */
static PyObject *
getitem_call(HotUfunc *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    if (!configured || nargs != 2 || kwnames != NULL)
        return NULL;
    int basic = basic_key(args[1]);
    if (basic < 0)
        return NULL;
    if (!basic)
        return timed_method_call(self, args, nargs, NULL);
    PyObject *r = PyObject_Vectorcall(self->impl, args, 2, NULL), *wrapper;
    if (r == NULL || (PyObject *)Py_TYPE(r) == counted_type)
        return r;
    if ((wrapper = PyDict_GetItemWithError(wrappers, (PyObject *)Py_TYPE(r))) != NULL) {
        PyObject *w = PyObject_CallOneArg(wrapper, r);
        Py_DECREF(r);
        return w;
    }
    if (PyErr_Occurred())
        Py_CLEAR(r);
    return r;
}

static PyObject *
hot_vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    HotUfunc *self = (HotUfunc *)callable;
    const char *entry = FRAME_ADDRESS(); /* (see call_numpy) */
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    Py_ssize_t nkw = kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames);
    PyObject *r;
    if (self->mode >= MODE_FREE) {
        if (self->mode == MODE_PROBE)
            return PyLong_FromVoidPtr((void *)entry);
        if (self->mode == MODE_METHOD)
            return timed_method_call(self, args, nargs, kwnames);
        r = self->mode == MODE_FREE ? free_call(self, args, nargs, kwnames)
                                    : getitem_call(self, args, nargs, kwnames);
        if (r != NULL || PyErr_Occurred())
            return r;
        self->declined++;
        return PyObject_Vectorcall(self->fallback, args, nargsf, kwnames);
    }
    if (self->generic) {
        r = generic_call(self, args, nargs, kwnames, entry);
        if (r != NULL || PyErr_Occurred())
            return r;
        self->declined++;
        return PyObject_Vectorcall(self->fallback, args, nargsf, kwnames);
    }
    if (self->mode == MODE_CALL) {
        PyObject *out = NULL;
        if (nkw == 1 && PyUnicode_CompareWithASCIIString(PyTuple_GET_ITEM(kwnames, 0), "out") == 0) {
            out = args[nargs];
            if (PyTuple_CheckExact(out) && PyTuple_GET_SIZE(out) == 1)
                out = PyTuple_GET_ITEM(out, 0);
            if (out == Py_None)
                out = NULL;
            nkw = 0;
        }
        if (nkw == 0 && nargs == (self->unary ? 1 : 2)) {
            r = ufunc_call(self, args[0], self->unary ? NULL : args[1], out, entry);
            if (r != NULL || PyErr_Occurred())
                return r;
        }
        self->declined++;
        return PyObject_Vectorcall(self->fallback, args, nargsf, kwnames);
    }
    /* the operator forms: __rop__(self, other) and __iop__(self, other) */
    if (nkw != 0 || nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "expected two positional arguments");
        return NULL;
    }
    if (self->mode == MODE_REFLECTED) {
        r = ufunc_call(self, args[1], args[0], NULL, entry);
        if (r != NULL || PyErr_Occurred())
            return r;
        self->declined++;
        PyObject *swapped[2] = {args[1], args[0]};
        return PyObject_Vectorcall(self->fallback, swapped, 2, NULL);
    }
    r = ufunc_call(self, args[0], args[1], args[0], entry);
    if (r != NULL || PyErr_Occurred())
        return r;
    self->declined++;
    PyObject *in_place[3] = {args[0], args[1], args[0]};
    return PyObject_Vectorcall(self->fallback, in_place, 2, out_kwnames);
}

static PyObject *
hot_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *fallback, *impl, *name, *signature, *rule = Py_None;
    int unary = 0, mode = MODE_CALL, contraction = 0;
    static char *kwlist[] = {"fallback", "impl", "name", "signature", "unary", "mode",
                             "contraction", "rule", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOUO|pipO", kwlist, &fallback, &impl, &name,
                                     &signature, &unary, &mode, &contraction, &rule))
        return NULL;
    if (mode < MODE_CALL || mode > MODE_GETITEM || ((unary || rule != Py_None) && mode != MODE_CALL)
        || (mode >= MODE_FREE && contraction)) {
        PyErr_SetString(PyExc_ValueError, "bad mode");
        return NULL;
    }
    HotUfunc *self = (HotUfunc *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->vectorcall = hot_vectorcall;
    Py_INCREF(fallback); self->fallback = fallback;
    Py_INCREF(impl); self->impl = impl;
    Py_INCREF(name); self->name = name;
    Py_INCREF(signature); self->signature = signature;
    Py_INCREF(rule); self->rule = rule;
    self->unary = unary;
    self->mode = mode;
    self->contraction = contraction;
    self->generic = rule != Py_None;
    return (PyObject *)self;
}

static int
hot_traverse(HotUfunc *self, visitproc visit, void *arg)
{
    Py_VISIT(self->dict);
    Py_VISIT(self->fallback);
    Py_VISIT(self->impl);
    Py_VISIT(self->rule);
    Py_VISIT(self->signature);
    return 0;
}

static int
hot_clear(HotUfunc *self)
{
    Py_CLEAR(self->dict);
    Py_CLEAR(self->fallback);
    Py_CLEAR(self->impl);
    Py_CLEAR(self->rule);
    Py_CLEAR(self->signature);
    for (int i = 0; i < CACHE_SIZE; i++) {
        self->cache[i].valid = 0;
        Py_CLEAR(self->cache[i].key);
    }
    return 0;
}

static void
hot_dealloc(HotUfunc *self)
{
    PyObject_GC_UnTrack(self);
    hot_clear(self);
    Py_CLEAR(self->name);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* bound like a function when it is a class attribute (the operators) */
static PyObject *
hot_descr_get(PyObject *self, PyObject *obj, PyObject *type)
{
    if (obj == NULL || obj == Py_None) {
        Py_INCREF(self);
        return self;
    }
    return PyMethod_New(self, obj);
}

static PyObject *
hot_reduce(HotUfunc *self, PyObject *Py_UNUSED(ignored))
{
    /* pickled by name, as functions are */
    return PyObject_GetAttrString((PyObject *)self, "__qualname__");
}

static PyObject *
hot_form(HotUfunc *self, PyObject *arg)
{
    /* the same row as an operator form: __rop__ (MODE_REFLECTED) or __iop__ (MODE_IN_PLACE) */
    long mode = PyLong_AsLong(arg);
    if (mode == -1 && PyErr_Occurred())
        return NULL;
    if (mode < MODE_CALL || mode > MODE_IN_PLACE || ((self->unary || self->generic) && mode != MODE_CALL)) {
        PyErr_SetString(PyExc_ValueError, "bad mode");
        return NULL;
    }
    HotUfunc *f = (HotUfunc *)Py_TYPE(self)->tp_alloc(Py_TYPE(self), 0);
    if (f == NULL)
        return NULL;
    f->vectorcall = hot_vectorcall;
    Py_INCREF(self->fallback); f->fallback = self->fallback;
    Py_INCREF(self->impl); f->impl = self->impl;
    Py_INCREF(self->rule); f->rule = self->rule;
    f->generic = self->generic;
    Py_INCREF(self->name); f->name = self->name;
    Py_INCREF(self->signature); f->signature = self->signature;
    f->unary = self->unary;
    f->mode = (int)mode;
    f->contraction = self->contraction;
    return (PyObject *)f;
}

static PyMethodDef hot_methods[] = {
    {"form", (PyCFunction)hot_form, METH_O,
     "form(mode): this row as an operator form (MODE_REFLECTED or MODE_IN_PLACE)."},
    {"__reduce__", (PyCFunction)hot_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef hot_members[] = {
    {"_fallback", T_OBJECT, offsetof(HotUfunc, fallback), READONLY, "the Python body"},
    {"_declined", T_PYSSIZET, offsetof(HotUfunc, declined), READONLY,
     "how many calls the Python body took"},
    {NULL},
};

static PyTypeObject HotUfuncType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "flopscope._hotpath.HotUfunc",
    .tp_doc = "A counted row's compiled fast body: the ufunc body, or the generic body when "
              "a rule is given (the Python body takes every other case).",
    .tp_basicsize = sizeof(HotUfunc),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL
                | Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_new = hot_new,
    .tp_dealloc = (destructor)hot_dealloc,
    .tp_traverse = (traverseproc)hot_traverse,
    .tp_clear = (inquiry)hot_clear,
    .tp_call = PyVectorcall_Call,
    .tp_vectorcall_offset = offsetof(HotUfunc, vectorcall),
    .tp_dictoffset = offsetof(HotUfunc, dict),
    .tp_descr_get = hot_descr_get,
    .tp_methods = hot_methods,
    .tp_members = hot_members,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
};

/* ------------------------------------------------------------------ the module */
static PyObject *
stack_alignment(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    if (!stack_calibrated)
        Py_RETURN_NONE;
    return PyLong_FromLong(stack_adjust);
}

static PyObject *
frame_address(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    return PyLong_FromVoidPtr((void *)FRAME_ADDRESS());
}

static PyMethodDef module_methods[] = {
    {"stack_alignment", stack_alignment, METH_NOARGS,
     "The calibrated adjustment that calls NumPy at the interpreter's stack position "
     "modulo 4 KiB, or None where NumPy is called plainly (see call_numpy)."},
    {"_frame_address", (PyCFunction)(void (*)(void))frame_address, METH_FASTCALL,
     "For the tests: this call's frame address (0 where the compiler gives none)."},
    {"configure", configure, METH_VARARGS,
     "configure(ndarray, active, weights, wrap, late, settings, bad_kinds, BudgetContext, "
     "BudgetRecords, RecordBuffer, scalar_base, wrappers, fallback_scope, Totals, book_free): "
     "what the hot path reads."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef hotpath_module = {
    PyModuleDef_HEAD_INIT, "_hotpath",
    "flopscope's compiled hot path (the Python bodies in _dispatch are the reference).", -1,
    module_methods,
};

PyMODINIT_FUNC
PyInit__hotpath(void)
{
    import_array();
    if (PyType_Ready(&HotUfuncType) < 0)
        return NULL;
    calibrate_stack();
    out_kwnames = Py_BuildValue("(s)", "out");
    if (out_kwnames == NULL)
        return NULL;
    PyObject *m = PyModule_Create(&hotpath_module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&HotUfuncType);
    if (PyModule_AddObject(m, "HotUfunc", (PyObject *)&HotUfuncType) < 0) {
        Py_DECREF(&HotUfuncType);
        Py_DECREF(m);
        return NULL;
    }
    if (PyModule_AddIntConstant(m, "MODE_CALL", MODE_CALL) || PyModule_AddIntConstant(m, "MODE_REFLECTED", MODE_REFLECTED)
        || PyModule_AddIntConstant(m, "MODE_IN_PLACE", MODE_IN_PLACE)
        || PyModule_AddIntConstant(m, "MODE_FREE", MODE_FREE)
        || PyModule_AddIntConstant(m, "MODE_METHOD", MODE_METHOD)
        || PyModule_AddIntConstant(m, "MODE_GETITEM", MODE_GETITEM)) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
