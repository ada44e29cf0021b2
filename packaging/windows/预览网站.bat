@echo off
rem Runs in the site folder (this file's folder); nianbao.exe is one folder up. Command lines stay ASCII,
rem so they work whatever code page cmd.exe reads this file in.
chcp 65001 >nul
cd /d "%~dp0"
echo 正在生成本文件夹中的网站并启动预览，浏览器会自动打开。
echo 修改内容并保存后，浏览器中的页面会自动刷新。
echo 预览期间不要关闭本窗口；看完后关闭本窗口（或按 Ctrl+C）即停止预览。
echo.
..\nianbao.exe serve --open
echo.
pause
