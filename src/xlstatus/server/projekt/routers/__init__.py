"""xlwings Server's project routers (routers/custom.py is loaded by xlwings Server)."""
