@echo off
rem Build the site in the folder next to this file into its public folder and wait for a key.
chcp 65001 >nul
cd /d "%~dp0"
echo 正在生成发布用的网站……
echo.
nianbao.exe build --root 网站
if errorlevel 1 (
  echo.
  echo 没有生成：请按上面写明的文件和行号改正后再运行。上一次生成的网站保持不变。
) else (
  echo.
  echo 发布用的网站在“网站\public”文件夹中：把这个文件夹里的全部内容上传到本县网站。
  echo 怎样上传，见 文档\使用指南.html 的“发布”一节。
)
echo.
pause
