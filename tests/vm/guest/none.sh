# No coldplug at all: what the kernel loads and creates by itself.
. /vmtest/lib.sh
report none "$(now)"
