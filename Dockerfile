# The web app as docker-compose.yml runs it: gunicorn, static files served by WhiteNoise.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files are collected (compressed, content-hashed) into the image, never onto a volume.
RUN DEBUG=true python manage.py collectstatic --no-input \
    && useradd --system --no-create-home app
USER app

EXPOSE 8000
ENV GUNICORN_BIND=0.0.0.0:8000
# docker-compose.yml migrates and loads the seed first; run alone, the image only serves.
CMD ["gunicorn", "bilateral_site.wsgi:application", "--config", "gunicorn.conf.py"]
